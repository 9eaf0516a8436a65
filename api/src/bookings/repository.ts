import { randomUUID } from 'node:crypto';
import { Op, QueryTypes, type Attributes, type Transaction, type WhereOptions } from 'sequelize';
import type { Db } from '../platform/db.js';
import { rawRow, rawRows, type RawRow } from '../platform/rows.js';
import { iso } from '../platform/time.js';
import { busyRepository, claimsOf, firstConflictOf, heldOverlapping, type BusyClaim, type BusyConflict, type HeldRow } from './busy.js';
import type { MinuteRange } from '../availability/ranges.js';
import type { BookingModel, BookingStatus } from './model.js';

export type { BookingStatus } from './model.js';

/** The active statuses: these hold the instructor's and the student's time. */
export const ACTIVE_STATUSES: BookingStatus[] = ['pending', 'confirmed'];

export interface BookingTimeRow {
  id: string;
  status: string;
  date: string;
  start_time: string;
  end_time: string;
  start_at: string;
  end_at: string;
}

export interface BookingRow extends BookingTimeRow {
  instructor_id: string;
  student_id: string;
  service_id: string;
  status: BookingStatus;
  timezone: string;
  blocked_until: string;
  duration_minutes: number;
  location_type: string;
  price_amount: number;
  currency: string;
  payment_status: string;
  note: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancellation_reason: string | null;
  /** How it was booked: `widget` with the partner's publishable key, `api` otherwise. */
  source_kind: 'api' | 'widget';
  source_key_id: string | null;
  created_at: string;
}

export type NewBooking = Omit<BookingRow, 'id' | 'created_at' | 'start_at' | 'end_at' | 'blocked_until' | 'cancelled_at' | 'cancelled_by' | 'cancellation_reason' | 'source_kind' | 'source_key_id'> & {
  source_kind?: 'api' | 'widget';
  source_key_id?: string | null;
  start_at: Date;
  end_at: Date;
  blocked_until: Date;
};

/** What a write may change on a booking (instants as Dates). */
export type BookingChanges = Partial<Omit<NewBooking, 'instructor_id' | 'student_id' | 'service_id' | 'source_kind' | 'source_key_id'>> & {
  cancelled_at?: Date;
  cancelled_by?: string;
  cancellation_reason?: string | null;
};

type Row = RawRow<Attributes<BookingModel>>;
type Data = Record<string, unknown>;
const TIME_ATTRIBUTES = ['id', 'status', 'date', 'start_time', 'end_time', 'start_at', 'end_at'] as const;
const active = { status: ACTIVE_STATUSES };

/** The booking columns that place it in time. */
export function toBookingTime(r: Pick<Row, (typeof TIME_ATTRIBUTES)[number]>): BookingTimeRow {
  return {
    id: r.id,
    status: r.status,
    date: String(r.date),
    start_time: r.start_time,
    end_time: r.end_time,
    start_at: iso(r.start_at),
    end_at: iso(r.end_at),
  };
}

function toBooking(r: Row): BookingRow {
  return {
    ...toBookingTime(r),
    instructor_id: r.instructor_id,
    student_id: r.student_id,
    service_id: r.service_id,
    status: r.status,
    timezone: r.timezone,
    blocked_until: iso(r.blocked_until),
    duration_minutes: Number(r.duration_minutes),
    location_type: r.location_type,
    price_amount: Number(r.price_amount),
    currency: r.currency,
    payment_status: r.payment_status,
    note: r.note ?? null,
    cancelled_at: r.cancelled_at ? iso(r.cancelled_at) : null,
    cancelled_by: r.cancelled_by ?? null,
    cancellation_reason: r.cancellation_reason ?? null,
    source_kind: r.source_kind === 'widget' ? 'widget' : 'api',
    source_key_id: r.source_key_id ?? null,
    created_at: iso(r.created_at),
  };
}

/** Queries about when bookings hold time (used by availability and services too). */
export function bookingTimeRepository(db: Db) {
  const { Booking } = db.models;
  const busy = busyRepository(db);
  return {
    /**
     * The time a person holds, [start_at, busy_until), overlapping [from, to): as instructor (with the
     * buffer) and as learner, in every booking that is not cancelled (completed and no-show lessons too).
     */
    heldTimeBetween: busy.heldBetween,
    /** Active bookings of an instructor on the given local dates. */
    async activeForInstructorOnDates(instructorId: string, dates: string[], tx?: Transaction): Promise<BookingTimeRow[]> {
      if (dates.length === 0) return [];
      const rows = await rawRows(
        Booking.findAll({
          where: { instructor_id: instructorId, ...active, date: dates },
          attributes: [...TIME_ATTRIBUTES],
          order: [['start_at', 'ASC']],
          raw: true,
          transaction: tx,
        }),
      );
      return rows.map(toBookingTime);
    },
    /** True when any booking, in any status, references the service. */
    async serviceHasBookings(serviceId: string, tx: Transaction): Promise<boolean> {
      return (await Booking.count({ where: { service_id: serviceId }, transaction: tx })) > 0;
    },
  };
}

export type BookingTimeRepository = ReturnType<typeof bookingTimeRepository>;

/** The only code that writes bookings and their history. */
export function bookingRepository(db: Db) {
  const { Booking, BookingEvent } = db.models;
  const busy = busyRepository(db);
  return {
    /**
     * Everything a new or moved lesson is checked against, in one query (inside the caller's
     * transaction, after the instructor's lock): how many active bookings of the student with the
     * instructor have not ended (when `countFor` is given), the date's availability ranges (sorted)
     * and blackout, and the first held time overlapping each claim (claims in their order,
     * instructor first; `excludeId` is the booking being moved).
     */
    async lessonContext(
      q: { instructorId: string; date: string; claims: BusyClaim[]; excludeId: string | null; countFor?: { studentId: string; now: Date } },
      tx: Transaction,
    ): Promise<{ held: number; ranges: MinuteRange[]; blackout: boolean; conflict: BusyConflict | null }> {
      type Ctx = HeldRow & { a: number | string | null; b: number | string | null };
      const conflicts = heldOverlapping(q.claims, q.excludeId);
      const replacements: Record<string, unknown> = { ...conflicts.replacements, instructor: q.instructorId, date: q.date, ...(q.countFor ? { statuses: ACTIVE_STATUSES, student: q.countFor.studentId, now: q.countFor.now } : {}) };
      // The held rows' branch comes first: PostgreSQL types each column of a UNION from its branches left to right.
      const rows = await db.sequelize.query<Ctx>(
        [
          conflicts.sql,
          `SELECT 'r', start_minute, end_minute, NULL, NULL, NULL FROM availability_ranges WHERE instructor_id = :instructor AND date = :date`,
          `SELECT 'x', NULL, NULL, NULL, NULL, NULL FROM blackouts WHERE instructor_id = :instructor AND date = :date`,
          ...(q.countFor ? [`SELECT 'n', count(*), NULL, NULL, NULL, NULL FROM bookings WHERE student_id = :student AND instructor_id = :instructor AND status IN (:statuses) AND end_at > :now`] : []),
        ].join(' UNION ALL '),
        { replacements, type: QueryTypes.SELECT, transaction: tx },
      );
      const conflict = firstConflictOf(q.claims, rows);
      return {
        held: Number(rows.find((r) => r.k === 'n')?.a ?? 0),
        ranges: rows.filter((r) => r.k === 'r').map((r) => ({ start: Number(r.a), end: Number(r.b) })).sort((x, y) => x.start - y.start),
        blackout: rows.some((r) => r.k === 'x'),
        conflict,
      };
    },
    /** Creates the booking and its participants' busy rows. */
    async create(booking: NewBooking, tx: Transaction): Promise<BookingRow> {
      if (db.dialect !== 'postgres') {
        const created = await Booking.create(booking, { transaction: tx });
        await busy.hold(created.id, claimsOf(booking), tx);
        return toBooking(created.get({ plain: true }));
      }
      // PostgreSQL: one statement with its busy rows (see busy.holdWith).
      const at = new Date();
      const row = {
        id: randomUUID(),
        ...booking,
        source_kind: booking.source_kind ?? 'api',
        source_key_id: booking.source_key_id ?? null,
        cancelled_at: null,
        cancelled_by: null,
        cancellation_reason: null,
        created_at: at,
        updated_at: at,
      } satisfies Attributes<BookingModel>;
      const columns = Object.keys(row);
      const insert = { sql: `INSERT INTO bookings (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`, bind: Object.values(row) };
      return toBooking(await busy.holdWith<Row>(insert, row.id, claimsOf(booking), tx));
    },
    /** Inside a transaction the row is locked (PostgreSQL), so two changes of one booking take turns. */
    async find(id: string, tx?: Transaction): Promise<BookingRow | null> {
      const r = await rawRow(Booking.findByPk(id, { raw: true, transaction: tx, lock: tx?.LOCK.UPDATE }));
      return r ? toBooking(r) : null;
    },
    /**
     * Updates a booking and keeps its busy rows in step, so no caller can forget them: a new time
     * moves them, cancelling releases them (completed and no-show keep holding until the end).
     */
    async update(id: string, changes: BookingChanges, tx: Transaction): Promise<BookingRow> {
      await Booking.update(changes, { where: { id }, transaction: tx });
      const updated = (await this.find(id, tx)) as BookingRow;
      if (changes.status === 'cancelled') await busy.release(id, changes.cancelled_at ?? new Date(), tx);
      else if (changes.start_at || changes.end_at || changes.blocked_until) {
        const at = (v: string) => new Date(v);
        await busy.move(id, claimsOf({ ...updated, start_at: at(updated.start_at), end_at: at(updated.end_at), blocked_until: at(updated.blocked_until) }), tx);
      }
      return updated;
    },
    /** The student's booking of exactly this lesson still waiting for its hold (a request that died after creating it). */
    async findAuthorizing(studentId: string, lesson: { instructor_id: string; service_id: string; date: string; start_time: string; duration_minutes: number }, tx: Transaction): Promise<BookingRow | null> {
      const r = await rawRow(Booking.findOne({ where: { student_id: studentId, ...lesson, status: 'pending', payment_status: ['authorizing', 'authorized'] }, raw: true, transaction: tx }));
      return r ? toBooking(r) : null;
    },
    /** Sets the booking's payment status (the payments service decides it). */
    async setPaymentStatus(id: string, status: string, tx?: Transaction): Promise<void> {
      if (tx) await Booking.update({ payment_status: status }, { where: { id }, transaction: tx });
      else await db.transaction((t) => Booking.update({ payment_status: status }, { where: { id }, transaction: t }));
    },
    async addEvent(bookingId: string, type: string, actorId: string | null, data: Data, tx: Transaction): Promise<void> {
      await BookingEvent.create({ booking_id: bookingId, type, actor_id: actorId, data }, { transaction: tx });
    },
    /** How many changes the booking has had (created counts as the first; payment steps are not changes of the lesson). */
    async eventCount(bookingId: string, tx: Transaction): Promise<number> {
      return BookingEvent.count({ where: { booking_id: bookingId, type: { [Op.notLike]: 'payment_%' } }, transaction: tx });
    },
    /** Bookings a user takes part in, ordered by start, keyset-paginated; `from`/`to` are dates, inclusive. */
    async list(
      filter: { userId: string | null; role?: 'student' | 'instructor'; status?: string; from?: string; to?: string; after?: { start_at: string; id: string } },
      limit: number,
    ): Promise<BookingRow[]> {
      const and: WhereOptions[] = [];
      if (filter.userId) {
        if (filter.role === 'student') and.push({ student_id: filter.userId });
        else if (filter.role === 'instructor') and.push({ instructor_id: filter.userId });
        else and.push({ [Op.or]: [{ student_id: filter.userId }, { instructor_id: filter.userId }] });
      }
      if (filter.status) and.push({ status: filter.status });
      // `from`/`to` are local dates, inclusive, compared with the booking's own date.
      if (filter.from) and.push({ date: { [Op.gte]: filter.from } });
      if (filter.to) and.push({ date: { [Op.lte]: filter.to } });
      if (filter.after) {
        const at = new Date(filter.after.start_at);
        and.push({ [Op.or]: [{ start_at: { [Op.gt]: at } }, { start_at: at, id: { [Op.gt]: filter.after.id } }] });
      }
      const rows = await rawRows(Booking.findAll({ where: { [Op.and]: and }, order: [['start_at', 'ASC'], ['id', 'ASC']], limit: limit + 1, raw: true }));
      return rows.map(toBooking);
    },
    /** Bookings of a user (as instructor or student) starting in [from, to). */
    async forUserBetween(userId: string, as: 'student' | 'instructor', from: Date, to: Date): Promise<BookingRow[]> {
      const rows = await rawRows(
        Booking.findAll({
          where: { [as === 'student' ? 'student_id' : 'instructor_id']: userId, start_at: { [Op.gte]: from, [Op.lt]: to } },
          order: [['start_at', 'ASC']],
          raw: true,
        }),
      );
      return rows.map(toBooking);
    },
    async countByStatus(userId: string, as: 'student' | 'instructor', range?: { from: Date; to: Date }): Promise<Record<string, number>> {
      const where: WhereOptions = { [as === 'student' ? 'student_id' : 'instructor_id']: userId };
      if (range) Object.assign(where, { start_at: { [Op.gte]: range.from, [Op.lt]: range.to } });
      // count with group: one { status, count } per status.
      const rows = await Booking.count({ where, group: ['status'] });
      return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.count)]));
    },
  };
}

export type BookingRepository = ReturnType<typeof bookingRepository>;
