import { DatabaseError, Op, QueryTypes, type Transaction, type WhereOptions } from 'sequelize';
import { iso } from '../platform/time.js';
import type { Db } from '../platform/db.js';
import type { BusyAttributes, ParticipantRole } from './busy-model.js';

/** The time one participant of a booking holds. */
export type BusyClaim = Omit<BusyAttributes, 'booking_id' | 'released_at'>;

/** Another booking of the same person that overlaps a claim; `role` is the person's role in the claiming booking. */
export interface BusyConflict {
  role: ParticipantRole;
  start_at: string;
  end_at: string;
}

/** The database refused a claim (PostgreSQL's exclusion constraint, the final guard under concurrency). */
export class PersonBusyError extends Error {
  constructor(readonly role: ParticipantRole) {
    super(`${role} is busy`);
  }
}

const DAY_MS = 86_400_000;
const CONSTRAINT = 'booking_participants_no_overlap';

/** The claims of a booking: the instructor until end + buffer (blocked_until), the student until the end. */
export function claimsOf(b: { instructor_id: string; student_id: string; start_at: Date; end_at: Date; blocked_until: Date }): BusyClaim[] {
  return [
    { role: 'instructor', person_id: b.instructor_id, start_at: b.start_at, end_at: b.end_at, busy_until: b.blocked_until },
    { role: 'student', person_id: b.student_id, start_at: b.start_at, end_at: b.end_at, busy_until: b.end_at },
  ];
}

/** Rows are written in person order, so two bookings that share two people never wait on each other in a cycle. */
const inPersonOrder = (claims: BusyClaim[]) => [...claims].sort((a, b) => (a.person_id < b.person_id ? -1 : 1));

/** `role` names who was refused; for several claims at once, the one whose person the error's detail names. */
function refused(err: unknown, role: ParticipantRole | BusyClaim[]): unknown {
  const parent = err instanceof DatabaseError ? (err.parent as { code?: string; constraint?: string; detail?: string }) : undefined;
  if (parent?.code !== '23P01' || parent.constraint !== CONSTRAINT) return err;
  if (typeof role === 'string') return new PersonBusyError(role);
  // "Key (person_id, tstzrange(start_at, busy_until))=(<person>, ...) conflicts with existing key ..."
  const claim = role.find((c) => parent.detail?.includes(`=(${c.person_id},`)) ?? role[0]!;
  return new PersonBusyError(claim.role);
}

/** Rows of a person overlapping [from, until) (no row is longer than a day, which bounds the index scan). */
const overlapping = (personId: string, from: Date, until: Date): WhereOptions => ({
  person_id: personId,
  start_at: { [Op.lt]: until, [Op.gt]: new Date(from.getTime() - DAY_MS) },
  busy_until: { [Op.gt]: from },
});

/** A held row overlapping a claim, as `heldOverlapping` selects it (k = 'h'). */
export interface HeldRow {
  k: string;
  p: string | null;
  s: Date | string | null;
  e: Date | string | null;
}

/**
 * The query (a branch of a UNION ALL: columns k, a, b, p, s, e) of the held rows overlapping any
 * of the claims, other than the rows of `excludeId` (the booking being moved).
 */
export function heldOverlapping(claims: BusyClaim[], excludeId: string | null): { sql: string; replacements: Record<string, unknown> } {
  const replacements: Record<string, unknown> = excludeId ? { exclude: excludeId } : {};
  // Each claim against its person's rows (no row is longer than a day, which bounds the index scan).
  const overlaps = claims.map((c, i) => {
    Object.assign(replacements, { [`p${i}`]: c.person_id, [`f${i}`]: c.start_at, [`d${i}`]: new Date(c.start_at.getTime() - DAY_MS), [`u${i}`]: c.busy_until });
    return `(person_id = :p${i} AND start_at < :u${i} AND start_at > :d${i} AND busy_until > :f${i})`;
  });
  const sql = `SELECT 'h' AS k, CAST(NULL AS INTEGER) AS a, CAST(NULL AS INTEGER) AS b, person_id AS p, start_at AS s, end_at AS e FROM booking_participants
    WHERE released_at IS NULL${excludeId ? ' AND booking_id <> :exclude' : ''} AND (${overlaps.length ? overlaps.join(' OR ') : '1 = 0'})`;
  return { sql, replacements };
}

/** The earliest held row of each claim's person, claims checked in their order (instructor first). */
export function firstConflictOf(claims: BusyClaim[], rows: HeldRow[]): BusyConflict | null {
  const held = rows.filter((r) => r.k === 'h').sort((x, y) => iso(x.s!).localeCompare(iso(y.s!)));
  for (const c of claims) {
    const row = held.find((r) => r.p === c.person_id);
    if (row) return { role: c.role, start_at: iso(row.s!), end_at: iso(row.e!) };
  }
  return null;
}

/** The only code that touches booking_participants (bookingRepository.lessonContext reads it through `heldOverlapping`); bookingRepository keeps it in step with each booking. */
export function busyRepository(db: Db) {
  const { BookingParticipant } = db.models;
  return {
    /** Both rows in one statement (in person order: rows are inserted in the order given). */
    async hold(bookingId: string, claims: BusyClaim[], tx: Transaction): Promise<void> {
      const ordered = inPersonOrder(claims);
      await BookingParticipant.bulkCreate(ordered.map((c) => ({ booking_id: bookingId, ...c })), { transaction: tx, returning: false }).catch((err: unknown) => {
        throw refused(err, ordered);
      });
    },

    /**
     * PostgreSQL: the booking's own INSERT (a statement with `RETURNING *` and numbered parameters)
     * and its busy rows in one statement (data-modifying CTEs; the foreign key and the exclusion
     * constraint are checked as for two statements); returns the booking's row.
     */
    async holdWith<R extends object>(insert: { sql: string; bind: unknown[] }, bookingId: string, claims: BusyClaim[], tx: Transaction): Promise<R> {
      const ordered = inPersonOrder(claims);
      const bind = [...insert.bind];
      const values = ordered.map((c) => {
        const at = bind.push(bookingId, c.role, c.person_id, c.start_at, c.end_at, c.busy_until) - 6;
        return `(${[1, 2, 3, 4, 5, 6].map((i) => `$${at + i}`).join(', ')})`;
      });
      const sql = `WITH b AS (${insert.sql}), p AS (INSERT INTO booking_participants (booking_id, role, person_id, start_at, end_at, busy_until) VALUES ${values.join(', ')}) SELECT * FROM b`;
      const [row] = await db.sequelize.query<R>(sql, { bind, type: QueryTypes.SELECT, transaction: tx }).catch((err: unknown) => {
        throw refused(err, ordered);
      });
      return row!;
    },

    async move(bookingId: string, claims: BusyClaim[], tx: Transaction): Promise<void> {
      for (const c of inPersonOrder(claims)) {
        const times = { start_at: c.start_at, end_at: c.end_at, busy_until: c.busy_until };
        await BookingParticipant.update(times, { where: { booking_id: bookingId, role: c.role }, transaction: tx }).catch((err: unknown) => {
          throw refused(err, c.role);
        });
      }
    },

    /** Frees the participants' time (cancellation); the rows stay as a record. */
    async release(bookingId: string, at: Date, tx: Transaction): Promise<void> {
      await BookingParticipant.update({ released_at: at }, { where: { booking_id: bookingId, released_at: null }, transaction: tx });
    },

    /** The first held time overlapping one of the claims, checked in the claims' order (instructor first). */
    async firstConflict(claims: BusyClaim[], excludeBookingId: string | null, tx: Transaction): Promise<BusyConflict | null> {
      const branch = heldOverlapping(claims, excludeBookingId);
      const rows = await db.sequelize.query<HeldRow>(branch.sql, { replacements: branch.replacements, type: QueryTypes.SELECT, transaction: tx });
      return firstConflictOf(claims, rows);
    },

    /** The held time of a person, [start_at, busy_until), overlapping [from, to). */
    async heldBetween(personId: string, from: Date, to: Date): Promise<{ start_at: Date; busy_until: Date }[]> {
      const rows = await BookingParticipant.findAll({
        where: { released_at: null, ...overlapping(personId, from, to) },
        attributes: ['start_at', 'busy_until'],
        order: [['start_at', 'ASC']],
      });
      return rows.map((r) => {
        const { start_at, busy_until } = r.get({ plain: true });
        return { start_at, busy_until };
      });
    },
  };
}

export type BusyRepository = ReturnType<typeof busyRepository>;
