import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

/** Bookings are placed in the instructor's zone and compared as real UTC instants, across DST changes. */
describe('bookings across time zones and DST', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  const book = (token: string, inst: { id: string; serviceId: string }, date: string, start_time: string, duration_minutes: number) =>
    call(app, 'POST', '/v1/bookings', { token, body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes, location_type: 'online' } });

  it('Europe/Berlin spring forward (2026-03-29): 01:30 + 60 min ends at 03:30 local, one real hour later', async () => {
    app.clock.set(new Date('2026-03-01T08:00:00Z'));
    const inst = await publishedInstructor(app, { timezone: 'Europe/Berlin', days: [{ date: '2026-03-29', ranges: [{ start_time: '00:00', end_time: '06:00' }] }] });
    const student = await registerUser(app, 'student', { timezone: 'Europe/Berlin' });
    const res = await book(student.token, inst, '2026-03-29', '01:30', 60);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      date: '2026-03-29',
      start_time: '01:30',
      end_time: '03:30',
      timezone: 'Europe/Berlin',
      start_at: '2026-03-29T00:30:00.000Z',
      end_at: '2026-03-29T01:30:00.000Z',
      duration_minutes: 60,
      // Priced by real minutes, not by the wall-clock span of two hours.
      price: { amount: 6000, currency: 'EUR' },
    });
    // 03:30-04:30 local starts exactly when the first lesson ends: free, though it "reads" as right after 03:30.
    const next = await book(student.token, inst, '2026-03-29', '03:30', 60);
    expect(next.status).toBe(201);
    expect(next.body).toMatchObject({ start_at: '2026-03-29T01:30:00.000Z', end_at: '2026-03-29T02:30:00.000Z', end_time: '04:30' });
    // 03:00 local is 01:00Z, inside the first lesson (00:30Z-01:30Z).
    const other = await registerUser(app, 'student');
    const overlap = await book(other.token, inst, '2026-03-29', '03:00', 30);
    expect([overlap.status, overlap.body.code]).toEqual([409, 'instructor_conflict']);
  });

  it('America/New_York fall back (2026-11-01): 00:30 + 120 min ends at the second 01:30, two real hours later', async () => {
    app.clock.set(new Date('2026-10-01T08:00:00Z'));
    const inst = await publishedInstructor(app, { timezone: 'America/New_York', days: [{ date: '2026-11-01', ranges: [{ start_time: '00:00', end_time: '04:00' }] }] });
    inst.serviceId = (
      await call(app, 'POST', '/v1/me/services', { token: inst.token, body: { skill: 'Long piano', hourly_rate: 6000, currency: 'USD', durations: [120], location_types: ['online'] } })
    ).body.id;
    const student = await registerUser(app, 'student', { timezone: 'America/New_York' });
    const res = await book(student.token, inst, '2026-11-01', '00:30', 120);
    expect(res.status).toBe(201);
    // 00:30 EDT (UTC-4) is 04:30Z; two hours later is 06:30Z, which is 01:30 EST (UTC-5), the second 01:30.
    expect(res.body).toMatchObject({
      date: '2026-11-01',
      start_time: '00:30',
      end_time: '01:30',
      timezone: 'America/New_York',
      start_at: '2026-11-01T04:30:00.000Z',
      end_at: '2026-11-01T06:30:00.000Z',
      duration_minutes: 120,
      price: { amount: 12000, currency: 'USD' },
    });
    expect(Date.parse(res.body.end_at) - Date.parse(res.body.start_at)).toBe(2 * 3_600_000);
    // The first 01:30 (05:30Z) is inside that lesson for the instructor.
    const other = await registerUser(app, 'student');
    const overlap = await book(other.token, inst, '2026-11-01', '01:30', 120);
    expect([overlap.status, overlap.body.code]).toEqual([409, 'instructor_conflict']);
  });

  it('a New York student cannot hold a Berlin and a Tokyo lesson at the same instant, whatever the local dates say', async () => {
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const berlin = await publishedInstructor(app, { timezone: 'Europe/Berlin', days: [{ date: '2026-07-06', ranges: [{ start_time: '18:00', end_time: '23:00' }] }] });
    const tokyo = await publishedInstructor(app, { timezone: 'Asia/Tokyo', days: [{ date: '2026-07-07', ranges: [{ start_time: '00:00', end_time: '12:00' }] }] });
    const student = await registerUser(app, 'student', { timezone: 'America/New_York' });

    // 20:00 in Berlin (CEST, UTC+2) on 6 July is 18:00Z.
    const first = await book(student.token, berlin, '2026-07-06', '20:00', 60);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ start_at: '2026-07-06T18:00:00.000Z', end_at: '2026-07-06T19:00:00.000Z' });

    // 03:00 in Tokyo (UTC+9) on 7 July is the same instant, 18:00Z on 6 July.
    const clash = await book(student.token, tokyo, '2026-07-07', '03:00', 60);
    expect([clash.status, clash.body.code]).toEqual([409, 'student_conflict']);
    expect(clash.body.conflict).toEqual({ start_at: '2026-07-06T18:00:00.000Z', end_at: '2026-07-06T19:00:00.000Z' });
    // 03:30 Tokyo (18:30Z) still overlaps the Berlin lesson.
    const partial = await book(student.token, tokyo, '2026-07-07', '03:30', 30);
    expect([partial.status, partial.body.code]).toEqual([409, 'student_conflict']);

    // 04:00 Tokyo is 19:00Z, when the Berlin lesson ends: no overlap.
    const ok = await book(student.token, tokyo, '2026-07-07', '04:00', 60);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ date: '2026-07-07', start_time: '04:00', end_time: '05:00', timezone: 'Asia/Tokyo', start_at: '2026-07-06T19:00:00.000Z', end_at: '2026-07-06T20:00:00.000Z' });
  });
});
