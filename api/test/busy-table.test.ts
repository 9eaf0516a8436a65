import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate, migrator } from '../src/migrations/index.js';
import { busyRepository, PersonBusyError, type BusyClaim } from '../src/bookings/busy.js';
import { freshDatabaseUrl } from './harness.js';

/** Migration 003 moves existing bookings into booking_participants; on PostgreSQL its exclusion constraint is the final guard. */
describe('booking_participants migration and constraint', () => {
  let db: Db;
  let drop: () => Promise<void>;
  const at = (hhmm: string) => new Date(`2026-07-06T${hhmm}:00.000Z`);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const fresh = await freshDatabaseUrl();
    drop = fresh.drop;
    db = await openDb(fresh.url);
    // The schema as it was before the busy table, with bookings made under the old per-role rule.
    await migrator(db).up({ to: '002-bookings' });
    // Raw rows, not models: the models follow the newest schema, this is the schema of migration 002.
    const insert = async (table: string, row: Record<string, unknown>) => {
      const id = randomUUID();
      const full = { id, ...row, created_at: new Date(), ...(table === 'booking_events' ? {} : { updated_at: new Date() }) };
      const cols = Object.keys(full);
      await db.sequelize.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `:${c}`).join(', ')})`, {
        replacements: Object.fromEntries(Object.entries(full).map(([k, v]) => [k, Array.isArray(v) ? JSON.stringify(v) : v])),
      });
      return id;
    };
    for (const name of ['ann', 'ben', 'sam', 'sue']) {
      ids[name] = await insert('users', { email: `${name}@example.com`, password_hash: 'x', full_name: name, role: name === 'ann' || name === 'ben' ? 'instructor' : 'student', timezone: 'UTC' });
    }
    const service = (instructor: string) => insert('services', { instructor_id: ids[instructor], skill: 'Piano', hourly_rate: 6000, currency: 'EUR', durations: [30, 60], location_types: ['online'], description: '', active: true });
    const annService = await service('ann');
    const benService = await service('ben');
    const booking = async (key: string, instructor: string, student: string, serviceId: string, start: string, end: string, blocked: string, status: string) => {
      ids[key] = await insert('bookings', {
        instructor_id: ids[instructor], student_id: ids[student], service_id: serviceId, status, date: '2026-07-06', start_time: start, end_time: end, timezone: 'UTC',
        start_at: at(start), end_at: at(end), blocked_until: at(blocked), duration_minutes: 60, location_type: 'online', price_amount: 6000, currency: 'EUR', payment_status: 'not_required',
      });
    };
    // Ann teaches Sam 10:00-11:00 (buffer to 11:15); a lesson she completed early let Sue book 10:15-10:45;
    // she also learns from Ben 10:30-11:30, which the old rule never compared with her teaching.
    await booking('teaching', 'ann', 'sam', annService, '10:00', '11:00', '11:15', 'confirmed');
    await booking('completedEarly', 'ann', 'sue', annService, '10:15', '10:45', '10:45', 'completed');
    await booking('learning', 'ben', 'ann', benService, '10:30', '11:30', '11:30', 'confirmed');
    await booking('cancelled', 'ann', 'sam', annService, '14:00', '15:00', '15:15', 'cancelled');
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  const rowsOf = async (key: string) =>
    (await db.models.BookingParticipant.findAll({ where: { booking_id: ids[key] }, order: [['role', 'ASC']] })).map((r) => r.get({ plain: true }));

  it('writes one row per participant: the instructor until blocked_until, the student until the end; none for cancelled bookings', async () => {
    expect(await rowsOf('teaching')).toMatchObject([
      { role: 'instructor', person_id: ids.ann, start_at: at('10:00'), end_at: at('11:00'), busy_until: at('11:15'), released_at: null },
      { role: 'student', person_id: ids.sam, start_at: at('10:00'), end_at: at('11:00'), busy_until: at('11:00'), released_at: null },
    ]);
    expect(await rowsOf('cancelled')).toEqual([]);
  });

  it('settles old overlaps of one person without changing her busy time: inside is released, reaching in starts later', async () => {
    const completed = await rowsOf('completedEarly');
    expect(completed[0]).toMatchObject({ person_id: ids.ann, released_at: expect.any(Date) });
    // Sue's own row is not affected: she has no other lesson.
    expect(completed[1]).toMatchObject({ person_id: ids.sue, start_at: at('10:15'), released_at: null });
    const learning = await rowsOf('learning');
    expect(learning[0]).toMatchObject({ role: 'instructor', person_id: ids.ben, start_at: at('10:30'), released_at: null });
    expect(learning[1]).toMatchObject({ role: 'student', person_id: ids.ann, start_at: at('11:15'), busy_until: at('11:30'), released_at: null });
  });

  it('finds the overlap in both roles; PostgreSQL refuses it in the database itself, naming the role; released time is free', async () => {
    const busy = busyRepository(db);
    // Ann as a learner 11:20-11:50 (on the cancelled booking's id, for the foreign key): Ben's lesson holds her until 11:30.
    const claim: BusyClaim = { role: 'student', person_id: ids.ann as string, start_at: at('11:20'), end_at: at('11:50'), busy_until: at('11:50') };
    const hold = () => db.transaction((tx) => busy.hold(ids.cancelled as string, [claim], tx));
    const conflict = (c = claim) => db.transaction((tx) => busy.firstConflict([c], null, tx));
    expect(await conflict()).toEqual({ role: 'student', start_at: at('11:15').toISOString(), end_at: at('11:30').toISOString() });
    expect(await conflict({ ...claim, role: 'instructor' })).toMatchObject({ role: 'instructor' });
    if (db.dialect === 'postgres') {
      const err = await hold().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PersonBusyError);
      expect((err as PersonBusyError).role).toBe('student');
    }
    await db.transaction((tx) => busy.release(ids.learning as string, new Date(), tx));
    expect(await conflict()).toBeNull();
    await hold();
    expect(await conflict({ ...claim, start_at: at('11:45') })).toEqual({ role: 'student', start_at: at('11:20').toISOString(), end_at: at('11:50').toISOString() });
  });
});
