import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

/**
 * A booking's local start must exist that day (not inside a DST gap) and lie on the 15-minute grid
 * public availability offers, so the stored local time always matches the instants.
 */

type Inst = Awaited<ReturnType<typeof publishedInstructor>>;
const NY_GAP = '2027-03-14'; // America/New_York: 02:00 jumps to 03:00
const BERLIN_GAP = '2027-03-28'; // Europe/Berlin: 02:00 jumps to 03:00

describe('local start times of bookings', () => {
  let app: TestApp;
  let ny: Inst;
  let berlin: Inst;
  let student: { id: string; token: string };
  let existing: { id: string };
  const book = (inst: Inst, date: string, start_time: string) =>
    call(app, 'POST', '/v1/bookings', { token: student.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 30, location_type: 'online' } });
  const reschedule = (date: string, start_time: string) => call(app, 'POST', `/v1/bookings/${existing.id}/reschedule`, { token: student.token, body: { date, start_time } });
  const allDay = (date: string) => ({ date, ranges: [{ start_time: '00:00', end_time: '24:00' }] });

  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2027-03-01T12:00:00Z') });
    ny = await publishedInstructor(app, { timezone: 'America/New_York', days: [allDay(NY_GAP), allDay('2027-03-15')] });
    berlin = await publishedInstructor(app, { timezone: 'Europe/Berlin', days: [allDay(BERLIN_GAP)] });
    student = await registerUser(app, 'student');
    const made = await book(ny, '2027-03-15', '09:00');
    expect(made.status).toBe(201);
    existing = made.body;
  });
  afterAll(async () => app?.close());

  it.each([
    [NY_GAP, '02:00'],
    [NY_GAP, '02:30'],
    [NY_GAP, '02:45'],
  ])('refuses %s %s in New York (inside the DST gap) with 422 nonexistent_time, on create and on reschedule', async (date, time) => {
    const created = await book(ny, date, time);
    expect([created.status, created.body.code]).toEqual([422, 'nonexistent_time']);
    expect(created.body.errors).toEqual([{ path: '/body/start_time', message: expect.any(String) }]);
    const moved = await reschedule(date, time);
    expect([moved.status, moved.body.code]).toEqual([422, 'nonexistent_time']);
  });

  it('refuses the gap in any zone (Berlin), and accepts the times around it with the right instants', async () => {
    const gap = await book(berlin, BERLIN_GAP, '02:15');
    expect([gap.status, gap.body.code]).toEqual([422, 'nonexistent_time']);
    const before = await book(berlin, BERLIN_GAP, '01:30');
    expect(before.status).toBe(201);
    expect(before.body).toMatchObject({ start_time: '01:30', start_at: '2027-03-28T00:30:00.000Z' });
    const after = await book(berlin, BERLIN_GAP, '03:00');
    expect(after.status).toBe(201);
    expect(after.body).toMatchObject({ start_time: '03:00', start_at: '2027-03-28T01:00:00.000Z' });
  });

  it('every start time it accepts on a gap day is one public availability lists, and every one it lists exists', async () => {
    const res = await call(app, 'GET', `/v1/instructors/${ny.id}/availability?from=${NY_GAP}&to=${NY_GAP}&duration_minutes=30`);
    const listed = res.body.days[0].start_times as string[];
    expect(listed).toContain('01:45');
    expect(listed).toContain('03:00');
    expect(listed.filter((t) => t.startsWith('02:'))).toEqual([]);
  });

  it.each(['10:05', '10:10', '10:59', '00:01'])('refuses %s (off the 15-minute grid) with 422 invalid_start_time, on create and on reschedule', async (time) => {
    const created = await book(ny, '2027-03-15', time);
    expect([created.status, created.body.code]).toEqual([422, 'invalid_start_time']);
    expect(created.body.errors).toEqual([{ path: '/body/start_time', message: expect.any(String) }]);
    const moved = await reschedule('2027-03-15', time);
    expect([moved.status, moved.body.code]).toEqual([422, 'invalid_start_time']);
  });

  it('keeps the booking unchanged after refused reschedules, and accepts a grid time', async () => {
    const now = await call(app, 'GET', `/v1/bookings/${existing.id}`, { token: student.token });
    expect(now.body).toMatchObject({ date: '2027-03-15', start_time: '09:00', start_at: '2027-03-15T13:00:00.000Z' });
    const moved = await reschedule('2027-03-15', '09:45');
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start_time: '09:45', end_time: '10:15', start_at: '2027-03-15T13:45:00.000Z' });
  });
});
