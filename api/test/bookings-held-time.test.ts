import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

/** A completed or no-show lesson keeps holding its time (and the instructor's buffer) until it ends. */

type Inst = Awaited<ReturnType<typeof publishedInstructor>>;
const DAY = '2026-07-06';

describe.each(['complete', 'no-show'] as const)('after %s, early', (action) => {
  let app: TestApp;
  let ann: Inst;
  let other: Inst;
  let sam: { id: string; token: string };
  let sue: { id: string; token: string };
  const book = (who: { token: string }, inst: Inst, start_time: string, duration_minutes = 30) =>
    call(app, 'POST', '/v1/bookings', { token: who.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: DAY, start_time, duration_minutes, location_type: 'online' } });

  beforeAll(async () => {
    // Booked a week ahead; the clock then moves to 10 minutes into the lesson.
    app = await startTestApp({ now: new Date('2026-06-29T08:00:00Z') });
    ann = await publishedInstructor(app, { buffer_minutes: 15, min_advance_hours: 0, days: [{ date: DAY, ranges: [{ start_time: '09:00', end_time: '14:00' }] }] });
    other = await publishedInstructor(app, { min_advance_hours: 0, days: [{ date: DAY, ranges: [{ start_time: '09:00', end_time: '14:00' }] }] });
    sam = await registerUser(app, 'student');
    sue = await registerUser(app, 'student');
    // 10:00-11:00 Berlin = 08:00Z-09:00Z, buffer until 09:15Z.
    const lesson = await book(sam, ann, '10:00', 60);
    expect(lesson.status).toBe(201);
    app.clock.set(new Date('2026-07-06T08:10:00Z'));
    const done = await call(app, 'POST', `/v1/bookings/${lesson.body.id}/${action}`, { token: ann.token });
    expect(done.status).toBe(200);
  });
  afterAll(async () => app?.close());

  it('the rest of the lesson and its buffer stay taken for the instructor', async () => {
    const during = await book(sue, ann, '10:30');
    expect([during.status, during.body.code]).toEqual([409, 'instructor_conflict']);
    expect(during.body.conflict).toEqual({ start_at: '2026-07-06T08:00:00.000Z', end_at: '2026-07-06T09:00:00.000Z' });
    const inBuffer = await book(sue, ann, '11:00');
    expect([inBuffer.status, inBuffer.body.code]).toEqual([409, 'instructor_conflict']);
    expect((await book(sue, ann, '11:15')).status).toBe(201);
  });

  it('and for the student, with any instructor', async () => {
    const during = await book(sam, other, '10:30');
    expect([during.status, during.body.code]).toEqual([409, 'student_conflict']);
    // The student has no buffer: right after the lesson's end is free.
    expect((await book(sam, other, '11:00')).status).toBe(201);
  });

  it('public availability does not offer it', async () => {
    const res = await call(app, 'GET', `/v1/instructors/${ann.id}/availability?from=${DAY}&to=${DAY}&duration_minutes=30`);
    expect(res.status).toBe(200);
    // Now is 10:10; the early-ended lesson holds until 11:15 and Sue's 11:15-11:45 (above) with its buffer until 12:00.
    expect(res.body.days[0].ranges).toEqual([{ start_time: '12:00', end_time: '14:00' }]);
    expect(res.body.days[0].start_times[0]).toBe('12:00');
  });
});
