import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';

/** A student holds at most STUDENT_BOOKING_LIMIT active future bookings with one instructor. */

type Inst = Awaited<ReturnType<typeof publishedInstructor>>;
const DAYS = ['2026-07-06', '2026-07-07', '2026-07-08'];
const open = DAYS.map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '18:00' }] }));
/** Ten 30-minute lessons on the first date, 08:00, 08:30, ... 12:30. */
const TIMES = Array.from({ length: 10 }, (_, i) => `${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

const bookWith = (app: TestApp) => (who: { token: string }, inst: Inst, date: string, start_time: string) =>
  call(app, 'POST', '/v1/bookings', { token: who.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 30, location_type: 'online' } });

describe('STUDENT_BOOKING_LIMIT, default 10', () => {
  let app: TestApp;
  let ann: Inst;
  let ben: Inst;
  let sam: { id: string; token: string };
  let first: { id: string };
  let book: ReturnType<typeof bookWith>;

  beforeAll(async () => {
    app = await startTestApp();
    book = bookWith(app);
    ann = await publishedInstructor(app, { days: open });
    ben = await publishedInstructor(app, { days: open });
    sam = await registerUser(app, 'student');
    for (const t of TIMES) {
      const res = await book(sam, ann, DAYS[0]!, t);
      expect(res.status).toBe(201);
      first ??= res.body;
    }
  });
  afterAll(async () => app?.close());

  it('refuses the 11th active future booking with the same instructor: 422 too_many_bookings', async () => {
    const res = await book(sam, ann, DAYS[1]!, '09:00');
    expect([res.status, res.body.code]).toEqual([422, 'too_many_bookings']);
    expect(res.body.detail).toContain('10');
    expect(await app.db.models.Booking.count({ where: { student_id: sam.id, instructor_id: ann.id } })).toBe(10);
  });

  it('counts per instructor: another instructor can still be booked, and another student can book this one', async () => {
    expect((await book(sam, ben, DAYS[1]!, '09:00')).status).toBe(201);
    const sue = await registerUser(app, 'student');
    expect((await book(sue, ann, DAYS[1]!, '10:00')).status).toBe(201);
  });

  it('a reschedule at the limit is allowed (it adds no booking)', async () => {
    const moved = await call(app, 'POST', `/v1/bookings/${first.id}/reschedule`, { token: sam.token, body: { date: DAYS[2], start_time: '08:00' } });
    expect(moved.status).toBe(200);
  });

  it('cancelled bookings and lessons already over do not count', async () => {
    const cancelled = await call(app, 'POST', `/v1/bookings/${first.id}/cancel`, { token: sam.token, body: {} });
    expect(cancelled.status).toBe(200);
    expect((await book(sam, ann, DAYS[2]!, '10:00')).status).toBe(201);
    expect((await book(sam, ann, DAYS[2]!, '11:00')).body.code).toBe('too_many_bookings');
    // 09:00 Berlin on the first date: the 08:30-09:00 lesson is over (never marked completed), the others not yet.
    app.clock.set(new Date('2026-07-06T07:00:00Z'));
    expect((await book(sam, ann, DAYS[2]!, '11:00')).status).toBe(201);
    expect((await book(sam, ann, DAYS[2]!, '12:00')).body.code).toBe('too_many_bookings');
  });
});

describe('STUDENT_BOOKING_LIMIT under concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { STUDENT_BOOKING_LIMIT: '3' } });
  });
  afterAll(async () => app?.close());

  it('8 simultaneous bookings of one student with one instructor, limit 3: exactly 3 are made', async () => {
    const book = bookWith(app);
    const ann = await publishedInstructor(app, { days: open });
    const sam = await registerUser(app, 'student');
    const results = await Promise.all(TIMES.slice(0, 8).map((t) => book(sam, ann, DAYS[0]!, t)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 422 && r.body.code === 'too_many_bookings')).toHaveLength(5);
    expect(await app.db.models.Booking.count({ where: { student_id: sam.id, instructor_id: ann.id } })).toBe(3);
  });
});

describe('STUDENT_BOOKING_LIMIT configuration', () => {
  it('defaults to 10, takes a positive integer, refuses anything else at start-up', () => {
    expect(loadConfig({ DATA_DIR: '/tmp/ii-limit-config', JWT_SECRET: 'x'.repeat(32) }).studentBookingLimit).toBe(10);
    expect(loadConfig({ DATA_DIR: '/tmp/ii-limit-config', JWT_SECRET: 'x'.repeat(32), STUDENT_BOOKING_LIMIT: '250' }).studentBookingLimit).toBe(250);
    for (const bad of ['0', '-1', '2.5', 'ten']) {
      expect(() => loadConfig({ DATA_DIR: '/tmp/ii-limit-config', JWT_SECRET: 'x'.repeat(32), STUDENT_BOOKING_LIMIT: bad })).toThrow(ConfigError);
    }
  });
});
