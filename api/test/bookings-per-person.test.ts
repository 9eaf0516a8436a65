import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Op } from 'sequelize';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

/** The conflict rule is per person: an instructor who also learns is never in two lessons at once, whichever role. */

type Inst = Awaited<ReturnType<typeof publishedInstructor>>;
type Person = { id: string; token: string };
const DAY = '2026-07-06';
const open = (date = DAY) => ({ date, ranges: [{ start_time: '08:00', end_time: '18:00' }] });

describe('one person, two roles', () => {
  let app: TestApp;
  // Ann teaches (buffer 15 minutes) and learns from Ben; Sam is a plain student.
  let ann: Inst;
  let ben: Inst;
  let sam: Person;
  const book = (who: Person, inst: Inst, start_time: string, duration_minutes = 60, date = DAY) =>
    call(app, 'POST', '/v1/bookings', { token: who.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes, location_type: 'online' } });
  const freeStarts = async (inst: Inst, date = DAY) =>
    (await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=${date}&to=${date}&duration_minutes=30`)).body.days[0].start_times as string[];

  beforeAll(async () => {
    app = await startTestApp();
    ann = await publishedInstructor(app, { buffer_minutes: 15, days: [open(), open('2026-07-07')] });
    ben = await publishedInstructor(app, { days: [open(), open('2026-07-07')] });
    sam = await registerUser(app, 'student');
  });
  afterAll(async () => app?.close());

  it('a student cannot book an instructor while she learns: instructor_conflict with her lesson as the conflict', async () => {
    // 10:00-11:00 Berlin (08:00Z-09:00Z): Ann learns from Ben.
    const learning = await book(ann, ben, '10:00');
    expect(learning.status).toBe(201);
    const clash = await book(sam, ann, '10:30', 30);
    expect([clash.status, clash.body.code]).toEqual([409, 'instructor_conflict']);
    expect(clash.body.conflict).toEqual({ start_at: '2026-07-06T08:00:00.000Z', end_at: '2026-07-06T09:00:00.000Z' });
    // Her buffer belongs to her teaching: a lesson she teaches must end 15 minutes before she learns...
    const tooClose = await book(sam, ann, '09:30', 30);
    expect([tooClose.status, tooClose.body.code]).toEqual([409, 'instructor_conflict']);
    // ...but her learning has no buffer: she may teach right after it.
    const after = await book(sam, ann, '11:00', 30);
    expect(after.status).toBe(201);
    const before = await book(sam, ann, '09:15', 30);
    expect(before.status).toBe(201);
    // Public availability shows neither her learning nor her teaching as free.
    const starts = await freeStarts(ann);
    for (const t of ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']) expect(starts).not.toContain(t);
    expect(starts).toContain('11:45');
  });

  it('an instructor cannot learn while she teaches (her buffer included): student_conflict', async () => {
    // Sam's 11:00-11:30 with Ann holds her until 11:45 (buffer).
    const during = await book(ann, ben, '11:15', 30);
    expect([during.status, during.body.code]).toEqual([409, 'student_conflict']);
    expect(during.body.conflict).toEqual({ start_at: '2026-07-06T09:00:00.000Z', end_at: '2026-07-06T09:30:00.000Z' });
    const inBuffer = await book(ann, ben, '11:30', 30);
    expect([inBuffer.status, inBuffer.body.code]).toEqual([409, 'student_conflict']);
    const ok = await book(ann, ben, '11:45', 30);
    expect(ok.status).toBe(201);
  });

  it('reschedules follow the same rule in both roles, and cancelling frees the time', async () => {
    const teaching = await book(sam, ann, '14:00');
    expect(teaching.status).toBe(201);
    const learning = await book(ann, ben, '16:00');
    expect(learning.status).toBe(201);
    // Moving her learning into her teaching: she is the student of the moved booking.
    const intoTeaching = await call(app, 'POST', `/v1/bookings/${learning.body.id}/reschedule`, { token: ann.token, body: { date: DAY, start_time: '14:30' } });
    expect([intoTeaching.status, intoTeaching.body.code]).toEqual([409, 'student_conflict']);
    // Moving Sam's lesson with her into her learning: she is the instructor of the moved booking.
    const intoLearning = await call(app, 'POST', `/v1/bookings/${teaching.body.id}/reschedule`, { token: sam.token, body: { date: DAY, start_time: '16:30' } });
    expect([intoLearning.status, intoLearning.body.code]).toEqual([409, 'instructor_conflict']);
    // A reschedule ignores the booking itself: 14:00 -> 14:30 overlaps only its old time.
    const nudge = await call(app, 'POST', `/v1/bookings/${teaching.body.id}/reschedule`, { token: sam.token, body: { date: DAY, start_time: '14:30' } });
    expect(nudge.status).toBe(200);
    // After the learning is cancelled, that time is Ann's to teach again.
    const cancelled = await call(app, 'POST', `/v1/bookings/${learning.body.id}/cancel`, { token: ann.token, body: {} });
    expect(cancelled.status).toBe(200);
    const moved = await call(app, 'POST', `/v1/bookings/${teaching.body.id}/reschedule`, { token: sam.token, body: { date: DAY, start_time: '16:30' } });
    expect(moved.status).toBe(200);
    expect(await freeStarts(ann)).not.toContain('16:30');
  });

  it('keeps one busy row per participant: instructor until end + buffer, student until the end, released on cancel', async () => {
    const b = await book(sam, ann, '09:00', 30, '2026-07-07');
    expect(b.status).toBe(201);
    const rows = async () =>
      (await app.db.models.BookingParticipant.findAll({ where: { booking_id: b.body.id }, order: [['role', 'ASC']] })).map((r) => r.get({ plain: true }));
    expect(await rows()).toMatchObject([
      { role: 'instructor', person_id: ann.id, start_at: new Date('2026-07-07T07:00:00Z'), end_at: new Date('2026-07-07T07:30:00Z'), busy_until: new Date('2026-07-07T07:45:00Z'), released_at: null },
      { role: 'student', person_id: sam.id, start_at: new Date('2026-07-07T07:00:00Z'), end_at: new Date('2026-07-07T07:30:00Z'), busy_until: new Date('2026-07-07T07:30:00Z'), released_at: null },
    ]);
    await call(app, 'POST', `/v1/bookings/${b.body.id}/reschedule`, { token: sam.token, body: { date: '2026-07-07', start_time: '12:00' } });
    expect((await rows()).map((r) => [r.start_at.toISOString(), r.busy_until.toISOString()])).toEqual([
      ['2026-07-07T10:00:00.000Z', '2026-07-07T10:45:00.000Z'],
      ['2026-07-07T10:00:00.000Z', '2026-07-07T10:30:00.000Z'],
    ]);
    await call(app, 'POST', `/v1/bookings/${b.body.id}/cancel`, { token: sam.token, body: {} });
    expect((await rows()).every((r) => r.released_at instanceof Date)).toBe(true);
  });
});

describe('per-person rule under concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  const body = (inst: Inst, start_time: string, date = DAY) => ({ instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 60, location_type: 'online' });

  it('20 students booking an instructor while she books a lesson of her own at the same time: exactly one wins', async () => {
    const ann = await publishedInstructor(app, { days: [open()] });
    const ben = await publishedInstructor(app, { days: [open()] });
    const students = await Promise.all(Array.from({ length: 20 }, () => registerUser(app, 'student')));
    const [learning, ...teaching] = await Promise.all([
      call(app, 'POST', '/v1/bookings', { token: ann.token, body: body(ben, '10:15') }),
      ...students.map((s, i) => call(app, 'POST', '/v1/bookings', { token: s.token, body: body(ann, i % 2 ? '10:00' : '10:30') })),
    ]);
    const all = [learning!, ...teaching];
    expect(all.filter((r) => r.status !== 201 && r.status !== 409).map((r) => [r.status, r.body.code])).toEqual([]);
    expect(all.filter((r) => r.status === 201)).toHaveLength(1);
    expect(all.filter((r) => r.status === 409)).toHaveLength(20);
    // The code names Ann's role in the refused booking.
    expect(teaching.filter((r) => r.status === 409).every((r) => r.body.code === 'instructor_conflict')).toBe(true);
    if (learning!.status === 409) expect(learning!.body.code).toBe('student_conflict');
    const held = await app.db.models.BookingParticipant.count({ where: { person_id: ann.id, released_at: null } });
    expect(held).toBe(1);
  });

  it('two instructors booking each other for the same half hour, ten times over: one lesson each time, never a 5xx', async () => {
    const ann = await publishedInstructor(app, { days: [open('2026-07-07')] });
    const ben = await publishedInstructor(app, { days: [open('2026-07-07')] });
    const hours = ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00'];
    const results = await Promise.all(
      hours.flatMap((t) => [
        call(app, 'POST', '/v1/bookings', { token: ann.token, body: { ...body(ben, t, '2026-07-07'), duration_minutes: 30 } }),
        call(app, 'POST', '/v1/bookings', { token: ben.token, body: { ...body(ann, t, '2026-07-07'), duration_minutes: 30 } }),
      ]),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(hours.length);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 409 && ['instructor_conflict', 'student_conflict'].includes(r.body.code))).toBe(true);
    const rows = await app.db.models.BookingParticipant.findAll({ where: { person_id: { [Op.in]: [ann.id, ben.id] }, released_at: null } });
    expect(rows).toHaveLength(hours.length * 2);
  });
});
