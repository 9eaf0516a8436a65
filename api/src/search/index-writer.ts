import { instructorLock, noteLocked, notLocked } from '../platform/tx-locks.js';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { Clock } from '../platform/clock.js';
import { jsonColumn } from '../platform/db.js';
import { addDays, toDate } from '../platform/time.js';
import type { MinuteRange } from '../availability/ranges.js';
import { bookableUntil, datesTouched, NEVER, NO_DATE, type FreeDayInputs } from './free-days.js';
import { namespacesOf } from './facets.js';
import { listing, type ProfileSource, type ServiceSource } from './listing.js';

/** A booking's times as the write path has them (rows carry ISO strings, new bookings Dates). */
export interface BookingTimes {
  instructor_id: string;
  student_id: string;
  start_at: Date | string;
  end_at: Date | string;
  blocked_until: Date | string;
}

interface StateRow {
  instructor_id: string;
  timezone: string;
  buffer_minutes: number | string;
  min_advance_hours: number | string;
  shortest_minutes: number | string;
  skills_lc: string;
  area_keys: string;
}

type Q = <T extends object>(sql: string, replacements: Record<string, unknown> | unknown[], tx?: Transaction) => Promise<T[]>;

const BATCH_ROWS = 400;
/** 15-minute grid of public answers (see publicNow): the search index is read "as of" that instant. */
const GRID_MS = 15 * 60_000;
export const publicInstant = (now: Date) => Math.ceil(now.getTime() / GRID_MS) * GRID_MS;

/**
 * Keeps the search tables (search_instructors, search_entries, instructor_free_days) in step with
 * profiles, services, availability and bookings, inside the writer's own transaction. After commit
 * it hands the cache namespaces the change can affect to `invalidate`.
 */
export function searchIndex(sequelize: Sequelize, clock: Clock, invalidate: (namespaces: string[]) => Promise<void> = async () => undefined) {
  const query: Q = async <T extends object>(sql: string, replacements: Record<string, unknown> | unknown[], tx?: Transaction) =>
    sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT, transaction: tx });
  const run = async (sql: string, replacements: Record<string, unknown> | unknown[], tx?: Transaction) => {
    await sequelize.query(sql, { replacements, transaction: tx });
  };

  /**
   * Multi-row INSERT in batches (a few hundred rows per statement): values bound on PostgreSQL,
   * inlined (escaped) on SQLite, where Sequelize's bound parameters made these inserts ~4x slower.
   */
  async function insertRows(table: string, columns: string[], rows: unknown[][], suffix: string, tx?: Transaction): Promise<void> {
    const postgres = sequelize.getDialect() === 'postgres';
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      const batch = rows.slice(i, i + BATCH_ROWS);
      let n = 0;
      const values = batch.map((row) => `(${row.map(() => (postgres ? `$${++n}` : '?')).join(', ')})`).join(', ');
      const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ${suffix}`;
      await sequelize.query(sql, postgres ? { bind: batch.flat(), transaction: tx } : { replacements: batch.flat(), transaction: tx });
    }
  }

  function afterCommit(tx: Transaction | undefined, docs: { skills_lc: string; area_keys: string }[]): void {
    if (!tx || docs.length === 0) return;
    const namespaces = namespacesOf(docs);
    tx.afterCommit(() => invalidate(namespaces).catch(() => undefined));
  }

  /** Recomputes next_free_date of the given instructors' entries (or, without ids, of every entry gone stale). */
  async function refreshNextFree(at: number, ids: string[] | null, tx?: Transaction): Promise<void> {
    const free = 'FROM instructor_free_days f WHERE f.instructor_id = search_entries.instructor_id AND f.bookable_until >= :at';
    await run(
      `UPDATE search_entries SET
         next_free_date = COALESCE((SELECT MIN(f.date) ${free}), :noDate),
         next_free_until = COALESCE((SELECT f.bookable_until ${free} ORDER BY f.date LIMIT 1), :never)
       WHERE ${ids ? 'instructor_id IN (:ids)' : 'next_free_until < :at'}`,
      { at, ids, noDate: NO_DATE, never: NEVER },
      tx,
    );
  }

  /**
   * In one query, for each of `ids` that is a listed instructor: its search state, and the ranges,
   * blackouts, held time and stored bookable days of dates from..to (a booking costs one read).
   */
  async function snapshot(ids: string[], from: string, to: string, tx?: Transaction) {
    const since = new Date(Date.parse(`${from}T00:00:00Z`) - 2 * 86_400_000);
    const until = new Date(Date.parse(`${to}T00:00:00Z`) + 3 * 86_400_000);
    type Row = { k: string; p: string; d: string | null; a: number | string | null; b: number | string | null; c: number | string | null; s: Date | string | null; u: Date | string | null; t1: string | null; t2: string | null };
    // The state row comes first: PostgreSQL types each column of a UNION from its branches left to right.
    const rows = await query<Row>(
      `SELECT 'z' AS k, instructor_id AS p, timezone AS d, buffer_minutes AS a, shortest_minutes AS b, min_advance_hours AS c, NULL AS s, NULL AS u, skills_lc AS t1, area_keys AS t2
         FROM search_instructors WHERE instructor_id IN (:ids)
       UNION ALL SELECT 'h', person_id, NULL, NULL, NULL, NULL, start_at, busy_until, NULL, NULL FROM booking_participants
         WHERE person_id IN (:ids) AND released_at IS NULL AND start_at < :until AND start_at > :dayBefore AND busy_until > :since
       UNION ALL SELECT 'r', instructor_id, CAST(date AS TEXT), start_minute, end_minute, NULL, NULL, NULL, NULL, NULL FROM availability_ranges WHERE instructor_id IN (:ids) AND date BETWEEN :from AND :to
       UNION ALL SELECT 'x', instructor_id, CAST(date AS TEXT), NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM blackouts WHERE instructor_id IN (:ids) AND date BETWEEN :from AND :to
       UNION ALL SELECT 'f', instructor_id, date, bookable_until, NULL, NULL, NULL, NULL, NULL, NULL FROM instructor_free_days WHERE instructor_id IN (:ids) AND date BETWEEN :from AND :to`,
      { ids, from, to, since, until, dayBefore: new Date(since.getTime() - 86_400_000) },
      tx,
    );
    const people = new Map<string, { state: StateRow; input: FreeDayInputs; stored: Map<string, number> }>();
    for (const r of rows.filter((row) => row.k === 'z')) {
      const state: StateRow = { instructor_id: r.p, timezone: r.d as string, buffer_minutes: Number(r.a), shortest_minutes: Number(r.b), min_advance_hours: Number(r.c), skills_lc: r.t1 ?? '', area_keys: r.t2 ?? '' };
      const input: FreeDayInputs = {
        timezone: state.timezone,
        bufferMinutes: Number(state.buffer_minutes),
        shortestMinutes: Number(state.shortest_minutes),
        minAdvanceHours: Number(state.min_advance_hours),
        ranges: new Map(),
        blackouts: new Set(),
        held: [],
      };
      people.set(r.p, { state, input, stored: new Map() });
    }
    for (const r of rows) {
      const person = people.get(r.p);
      if (!person || r.k === 'z') continue;
      const { input, stored } = person;
      if (r.k === 'r') input.ranges.set(r.d as string, [...(input.ranges.get(r.d as string) ?? []), { start: Number(r.a), end: Number(r.b) }]);
      else if (r.k === 'x') input.blackouts.add(r.d as string);
      else if (r.k === 'f') stored.set(r.d as string, Number(r.a));
      else input.held.push({ start_at: toDate(r.s as Date | string), busy_until: toDate(r.u as Date | string) });
    }
    for (const { input } of people.values()) for (const list of input.ranges.values()) list.sort((x, y) => x.start - y.start);
    return people;
  }

  /** Recomputes the given dates of a listed instructor from its snapshot; true when a bookable day changed. */
  async function refreshDates(person: { state: StateRow; input: FreeDayInputs; stored: Map<string, number> }, dates: string[], tx?: Transaction): Promise<boolean> {
    if (dates.length === 0) return false;
    const { state, input, stored } = person;
    const fresh = bookableUntil(dates, input);
    const gone = dates.filter((d) => stored.has(d) && !fresh.has(d));
    const changed = [...fresh].filter(([d, v]) => stored.get(d) !== v);
    if (gone.length === 0 && changed.length === 0) return false;
    const id = state.instructor_id;
    if (gone.length > 0) await run('DELETE FROM instructor_free_days WHERE instructor_id = :id AND date IN (:gone)', { id, gone }, tx);
    if (changed.length > 0) {
      await insertRows('instructor_free_days', ['instructor_id', 'date', 'bookable_until'], changed.map(([d, v]) => [id, d, v]), 'ON CONFLICT (instructor_id, date) DO UPDATE SET bookable_until = excluded.bookable_until', tx);
    }
    await refreshNextFree(publicInstant(clock.now()), [id], tx);
    return true;
  }

  /**
   * Takes the instructors' profile row locks (PostgreSQL; SQLite serializes writes): the lock
   * availability writes and bookings take, so two changes of one instructor's search rows never
   * compute from each other's uncommitted state. Re-taking a lock the transaction holds is free.
   */
  async function lockInstructors(ids: string[], tx?: Transaction): Promise<void> {
    if (!tx || ids.length === 0 || sequelize.getDialect() !== 'postgres') return;
    const missing = notLocked(tx, ids.map(instructorLock));
    if (missing.length === 0) return;
    await query('SELECT user_id FROM instructor_profiles WHERE user_id IN (:ids) ORDER BY user_id FOR UPDATE', { ids }, tx);
    noteLocked(tx, ids.map(instructorLock));
  }

  async function statesOf(ids: string[], tx?: Transaction): Promise<StateRow[]> {
    if (ids.length === 0) return [];
    return query<StateRow>(
      'SELECT instructor_id, timezone, buffer_minutes, min_advance_hours, shortest_minutes, skills_lc, area_keys FROM search_instructors WHERE instructor_id IN (:ids)',
      { ids },
      tx,
    );
  }

  /** Rebuilds every search row of the given instructors from their profiles, services, availability and bookings. */
  async function rebuild(ids: string[], tx?: Transaction): Promise<void> {
    if (ids.length === 0) return;
    await lockInstructors(ids, tx);
    const before = tx ? await statesOf(ids, tx) : [];
    const fromDate = addDays(new Date(publicInstant(clock.now())).toISOString().slice(0, 10), -1);
    const profiles = await query<ProfileSource>(
      `SELECT p.user_id, u.full_name, p.bio, p.timezone, p.min_advance_hours, p.buffer_minutes, p.area_keys, p.published
       FROM instructor_profiles p JOIN users u ON u.id = p.user_id WHERE p.user_id IN (:ids)`,
      { ids },
      tx,
    );
    // Not an instructor (a student renamed) and nothing indexed: nothing to do.
    if (profiles.length === 0 && before.length === 0) return;
    const services = await query<ServiceSource>(
      'SELECT id, instructor_id, skill, hourly_rate, durations, location_types FROM services WHERE instructor_id IN (:ids) AND active = :yes',
      { ids, yes: true },
      tx,
    );
    const ranges = await query<{ instructor_id: string; date: string; start_minute: number | string; end_minute: number | string }>(
      'SELECT instructor_id, CAST(date AS TEXT) AS date, start_minute, end_minute FROM availability_ranges WHERE instructor_id IN (:ids) AND date >= :fromDate ORDER BY instructor_id, date, start_minute',
      { ids, fromDate },
      tx,
    );
    const blackouts = await query<{ instructor_id: string; date: string }>(
      'SELECT instructor_id, CAST(date AS TEXT) AS date FROM blackouts WHERE instructor_id IN (:ids) AND date >= :fromDate',
      { ids, fromDate },
      tx,
    );
    const since = new Date(Date.parse(`${fromDate}T00:00:00Z`) - 86_400_000);
    const held = await query<{ person_id: string; start_at: Date | string; busy_until: Date | string }>(
      // No held row is longer than a day (busy.ts): the start bound keeps the scan off a long history.
      'SELECT person_id, start_at, busy_until FROM booking_participants WHERE person_id IN (:ids) AND released_at IS NULL AND start_at > :dayBefore AND busy_until > :since',
      { ids, since, dayBefore: new Date(since.getTime() - 86_400_000) },
      tx,
    );
    const group = <T extends object>(rows: T[], key: (r: T) => string) => {
      const m = new Map<string, T[]>();
      for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
      return m;
    };
    const servicesOf = group(services, (s) => s.instructor_id);
    const rangesOf = group(ranges, (r) => r.instructor_id);
    const blackoutsOf = group(blackouts, (b) => b.instructor_id);
    const heldOf = group(held, (h) => h.person_id);
    const at = publicInstant(clock.now());

    await run('DELETE FROM instructor_free_days WHERE instructor_id IN (:ids)', { ids }, tx);
    await run('DELETE FROM search_entries WHERE instructor_id IN (:ids)', { ids }, tx);
    await run('DELETE FROM search_areas WHERE instructor_id IN (:ids)', { ids }, tx);
    const listed = profiles
      .map((p) => listing(p, (servicesOf.get(p.user_id) ?? []).map((s) => ({ ...s, durations: jsonColumn<number[]>(s.durations), location_types: jsonColumn<string[]>(s.location_types) }))))
      .filter((l) => l !== null);
    const listedIds = new Set(listed.map((l) => l.doc.instructor_id));
    const unlisted = ids.filter((id) => !listedIds.has(id));
    if (unlisted.length > 0) await run('DELETE FROM search_instructors WHERE instructor_id IN (:unlisted)', { unlisted }, tx);
    if (listed.length > 0) {
      const docColumns = ['instructor_id', 'name_lc', 'bio_lc', 'area_keys', 'skills_lc', 'timezone', 'buffer_minutes', 'min_advance_hours', 'shortest_minutes'] as const;
      await insertRows(
        'search_instructors',
        [...docColumns],
        listed.map((l) => docColumns.map((c) => l.doc[c])),
        `ON CONFLICT (instructor_id) DO UPDATE SET ${docColumns.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')}`,
        tx,
      );
      const docIds = new Map(
        (await query<{ instructor_id: string; doc_id: number | string }>('SELECT instructor_id, doc_id FROM search_instructors WHERE instructor_id IN (:ids)', { ids: [...listedIds] }, tx)).map((r) => [
          r.instructor_id,
          Number(r.doc_id),
        ]),
      );
      const freeRows: unknown[][] = [];
      const entryRows: unknown[][] = [];
      const areaRows: unknown[][] = [];
      for (const l of listed) {
        const id = l.doc.instructor_id;
        const dayRanges = new Map<string, MinuteRange[]>();
        for (const r of rangesOf.get(id) ?? []) dayRanges.set(r.date, [...(dayRanges.get(r.date) ?? []), { start: Number(r.start_minute), end: Number(r.end_minute) }]);
        const days = bookableUntil([...dayRanges.keys()], {
          timezone: l.doc.timezone,
          bufferMinutes: l.doc.buffer_minutes,
          shortestMinutes: l.doc.shortest_minutes,
          minAdvanceHours: l.doc.min_advance_hours,
          ranges: dayRanges,
          blackouts: new Set((blackoutsOf.get(id) ?? []).map((b) => b.date)),
          held: (heldOf.get(id) ?? []).map((h) => ({ start_at: toDate(h.start_at), busy_until: toDate(h.busy_until) })),
        });
        let next: [string, number] = [NO_DATE, NEVER];
        for (const [date, until] of days) {
          freeRows.push([id, date, until]);
          if (until >= at && date < next[0]) next = [date, until];
        }
        for (const area of new Set(l.doc.area_keys.split('|').filter(Boolean))) areaRows.push([area, docIds.get(id), id]);
        for (const e of l.entries) entryRows.push([e.service_id, id, docIds.get(id), l.full_name, e.skill_lc, e.hourly_rate, e.location_keys, e.cheapest, next[0], next[1]]);
      }
      await insertRows('instructor_free_days', ['instructor_id', 'date', 'bookable_until'], freeRows, '', tx);
      await insertRows('search_areas', ['area_key', 'doc_id', 'instructor_id'], areaRows, '', tx);
      await insertRows(
        'search_entries',
        ['service_id', 'instructor_id', 'doc_id', 'full_name', 'skill_lc', 'hourly_rate', 'location_keys', 'cheapest', 'next_free_date', 'next_free_until'],
        entryRows,
        '',
        tx,
      );
    }
    afterCommit(tx, [...before, ...listed.map((l) => l.doc)]);
  }

  return {
    rebuild,

    /** After a profile, service or name change: the instructor's search rows are rebuilt in the same transaction. */
    async instructorChanged(tx: Transaction, instructorId: string): Promise<void> {
      await rebuild([instructorId], tx);
    },

    /** After availability or blackouts of these dates changed (same transaction). */
    async datesChanged(tx: Transaction, instructorId: string, dates: string[]): Promise<void> {
      if (dates.length === 0) return;
      const sorted = [...dates].sort();
      const person = (await snapshot([instructorId], sorted[0] as string, sorted[sorted.length - 1] as string, tx)).get(instructorId);
      if (person && (await refreshDates(person, dates, tx))) afterCommit(tx, [person.state]);
    },

    /** After a booking was made, moved or cancelled (same transaction): both participants' touched dates, before and after. */
    async bookingChanged(tx: Transaction, ...versions: BookingTimes[]): Promise<void> {
      const held = versions.flatMap((b) => [
        { person: b.instructor_id, start: toDate(b.start_at), until: toDate(b.blocked_until) },
        { person: b.student_id, start: toDate(b.start_at), until: toDate(b.end_at) },
      ]);
      // Every local date any zone (UTC-12..UTC+14) and buffer (<= 240 minutes) can put these times on.
      const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const from = utcDate(Math.min(...held.map((h) => h.start.getTime())) - 16 * 3_600_000);
      const to = utcDate(Math.max(...held.map((h) => h.until.getTime())) + 18 * 3_600_000);
      // The instructor's lock (a cancellation has not taken it yet). A student who also teaches is not
      // locked here: two bookings crossing roles would deadlock; see docs/search.md.
      await lockInstructors([...new Set(versions.map((b) => b.instructor_id))], tx);
      for (const person of (await snapshot([...new Set(held.map((h) => h.person))], from, to, tx)).values()) {
        const { state } = person;
        const dates = new Set(held.filter((h) => h.person === state.instructor_id).flatMap((h) => datesTouched(h.start, h.until, Number(state.buffer_minutes), state.timezone)));
        if (await refreshDates(person, [...dates], tx)) afterCommit(tx, [state]);
      }
    },

    /** Time passing: entries whose next free date has no bookable start left as of `at` move to their next one. */
    async sweep(at: number, tx?: Transaction): Promise<void> {
      await refreshNextFree(at, null, tx);
    },
  };
}

export type SearchIndex = ReturnType<typeof searchIndex>;
