import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

const DAY = '2026-07-06';
const day = (date = DAY, ranges = [{ start_time: '09:00', end_time: '17:00' }]) => ({ date, ranges });

describe('POST /v1/bookings', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let student: Awaited<ReturnType<typeof registerUser>>;
  const book = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(app, 'POST', '/v1/bookings', { token, headers, body: { instructor_id: inst.id, service_id: inst.serviceId, date: DAY, start_time: '10:00', duration_minutes: 60, location_type: 'online', ...body } });

  beforeAll(async () => {
    app = await startTestApp();
    inst = await publishedInstructor(app, { buffer_minutes: 15, days: [day(), day('2026-07-07'), day('2026-07-01')] });
    student = await registerUser(app, 'student');
  });
  afterAll(async () => app.close());

  it('creates a confirmed booking with the price fixed from the hourly rate', async () => {
    const res = await book(student.token, { start_time: '09:00', duration_minutes: 90 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'confirmed', date: DAY, start_time: '09:00', end_time: '10:30', timezone: 'Europe/Berlin', start_at: '2026-07-06T07:00:00.000Z', end_at: '2026-07-06T08:30:00.000Z', price: { amount: 9000, currency: 'EUR' }, student_id: student.id });
    const again = await call(app, 'GET', `/v1/bookings/${res.body.id}`, { token: inst.token });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
  });

  it.each([
    ['in_past', 422, { date: '2026-07-01', start_time: '09:00' }],
    ['too_soon', 422, { date: '2026-07-01', start_time: '11:00' }],
    ['invalid_duration', 422, { duration_minutes: 45 }],
    ['invalid_location_type', 422, { location_type: 'student_home' }],
    ['outside_availability', 409, { start_time: '16:30' }],
  ])('rejects %s', async (code, status, body) => {
    const res = await book(student.token, body);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('rejects a blacked-out date with blackout', async () => {
    await call(app, 'POST', '/v1/me/blackouts', { token: inst.token, body: { date: '2026-07-07' } });
    const res = await book(student.token, { date: '2026-07-07' });
    expect([res.status, res.body.code]).toEqual([409, 'blackout']);
  });

  it('rejects an overlap with the instructor, buffer included, and tells the conflicting time only', async () => {
    const other = await registerUser(app, 'student');
    // 09:00-10:30 is booked; with a 15-minute buffer, 10:40 is too close, 10:45 is fine.
    const close = await book(other.token, { start_time: '10:30', duration_minutes: 30 });
    expect([close.status, close.body.code]).toEqual([409, 'instructor_conflict']);
    expect(close.body.conflict).toEqual({ start_at: '2026-07-06T07:00:00.000Z', end_at: '2026-07-06T08:30:00.000Z' });
    expect(JSON.stringify(close.body)).not.toContain(student.id);
    const ok = await book(other.token, { start_time: '10:45', duration_minutes: 30 });
    expect(ok.status).toBe(201);
  });

  it('rejects a student overlap with another instructor as student_conflict', async () => {
    const inst2 = await publishedInstructor(app, { timezone: 'Europe/London', days: [day()] });
    // 08:00 London = 09:00 Berlin: the student already has 09:00-10:30 Berlin.
    const res = await call(app, 'POST', '/v1/bookings', { token: student.token, body: { instructor_id: inst2.id, service_id: inst2.serviceId, date: DAY, start_time: '09:00', duration_minutes: 30, location_type: 'online' } });
    expect([res.status, res.body.code]).toEqual([409, 'student_conflict']);
  });

  it('rejects an inactive service and booking oneself', async () => {
    const svc = await call(app, 'POST', '/v1/me/services', { token: inst.token, body: { skill: 'Old', hourly_rate: 100, durations: [60], location_types: ['online'] } });
    await call(app, 'PATCH', `/v1/me/services/${svc.body.id}`, { token: inst.token, body: { active: false } });
    const inactive = await book(student.token, { service_id: svc.body.id, start_time: '14:00' });
    expect([inactive.status, inactive.body.code]).toEqual([422, 'service_inactive']);
    const self = await book(inst.token, { start_time: '14:00' });
    expect([self.status, self.body.code]).toEqual([422, 'cannot_book_self']);
  });

  it('replays an Idempotency-Key: same body same response, other body 422', async () => {
    const s = await registerUser(app, 'student');
    const first = await book(s.token, { start_time: '15:00' }, { 'Idempotency-Key': 'k-1' });
    const second = await book(s.token, { start_time: '15:00' }, { 'Idempotency-Key': 'k-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const other = await book(s.token, { start_time: '16:00' }, { 'Idempotency-Key': 'k-1' });
    expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
  });
});

describe('lifecycle', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('cancels, reschedules, completes and refuses impossible transitions', async () => {
    const inst = await publishedInstructor(app, { days: [day(), day('2026-07-08')] });
    const s = await registerUser(app, 'student');
    const body = { instructor_id: inst.id, service_id: inst.serviceId, date: DAY, start_time: '10:00', duration_minutes: 60, location_type: 'online' };
    const b = (await call(app, 'POST', '/v1/bookings', { token: s.token, body })).body;
    const moved = await call(app, 'POST', `/v1/bookings/${b.id}/reschedule`, { token: s.token, body: { date: '2026-07-08', start_time: '11:00' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: b.id, date: '2026-07-08', start_time: '11:00', end_time: '12:00' });
    // The old time is free again.
    const again = await call(app, 'POST', '/v1/bookings', { token: s.token, body });
    expect(again.status).toBe(201);
    const early = await call(app, 'POST', `/v1/bookings/${b.id}/complete`, { token: inst.token });
    expect([early.status, early.body.code]).toEqual([409, 'invalid_transition']);
    const byStudent = await call(app, 'POST', `/v1/bookings/${b.id}/complete`, { token: s.token });
    expect(byStudent.status).toBe(403);
    app.clock.set(new Date('2026-07-08T10:00:00Z'));
    const done = await call(app, 'POST', `/v1/bookings/${b.id}/complete`, { token: inst.token });
    expect([done.status, done.body.status]).toEqual([200, 'completed']);
    const cancelDone = await call(app, 'POST', `/v1/bookings/${b.id}/cancel`, { token: s.token, body: {} });
    expect([cancelDone.status, cancelDone.body.code]).toEqual([409, 'invalid_transition']);
    const cancelled = await call(app, 'POST', `/v1/bookings/${again.body.id}/cancel`, { token: inst.token, body: { reason: 'ill' } });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelled_by: 'instructor', cancellation_reason: 'ill' });
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
  });
});

describe('concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('100 students racing for overlapping times with one instructor: exactly one booking', async () => {
    const inst = await publishedInstructor(app, { days: [day()] });
    // Setup in batches (100 parallel sign-ups would only measure the connection pool); the race below is fully concurrent.
    const students: Awaited<ReturnType<typeof registerUser>>[] = [];
    for (let i = 0; i < 10; i++) students.push(...(await Promise.all(Array.from({ length: 10 }, () => registerUser(app, 'student')))));
    const results = await Promise.all(
      students.map((s, i) =>
        call(app, 'POST', '/v1/bookings', { token: s.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: DAY, start_time: i % 2 ? '10:00' : '10:30', duration_minutes: 60, location_type: 'online' } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'instructor_conflict')).toBe(true);
    const count = await app.db.models.Booking.count({ where: { instructor_id: inst.id, status: ['pending', 'confirmed'] } });
    expect(count).toBe(1);
  });

  it('one student, 40 instructors, same time: exactly one booking', async () => {
    const s = await registerUser(app, 'student');
    const insts = [];
    for (let i = 0; i < 40; i++) insts.push(await publishedInstructor(app, { days: [day()] }));
    const results = await Promise.all(
      insts.map((inst) => call(app, 'POST', '/v1/bookings', { token: s.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: DAY, start_time: '14:00', duration_minutes: 60, location_type: 'online' } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'student_conflict')).toHaveLength(39);
    expect(await app.db.models.Booking.count({ where: { student_id: s.id, status: ['pending', 'confirmed'] } })).toBe(1);
  });

  it('50 concurrent replays of one Idempotency-Key create one booking', async () => {
    const inst = await publishedInstructor(app, { days: [day('2026-07-09')] });
    const s = await registerUser(app, 'student');
    const body = { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-09', start_time: '09:00', duration_minutes: 60, location_type: 'online' };
    const results = await Promise.all(Array.from({ length: 50 }, () => call(app, 'POST', '/v1/bookings', { token: s.token, body, headers: { 'Idempotency-Key': 'same-key' } })));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await app.db.models.Booking.count({ where: { student_id: s.id } })).toBe(1);
  });

  it('a reschedule racing a new booking into the same time: exactly one wins', async () => {
    const inst = await publishedInstructor(app, { days: [day('2026-07-10')] });
    const a = await registerUser(app, 'student');
    const b = await registerUser(app, 'student');
    const base = { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-10', duration_minutes: 60, location_type: 'online' };
    const first = await call(app, 'POST', '/v1/bookings', { token: a.token, body: { ...base, start_time: '09:00' } });
    const [moved, booked] = await Promise.all([
      call(app, 'POST', `/v1/bookings/${first.body.id}/reschedule`, { token: a.token, body: { date: '2026-07-10', start_time: '13:00' } }),
      call(app, 'POST', '/v1/bookings', { token: b.token, body: { ...base, start_time: '13:00' } }),
    ]);
    const wins = [moved.status === 200, booked.status === 201].filter(Boolean);
    expect(wins).toHaveLength(1);
    expect([moved, booked].find((r) => r.status >= 400)?.body.code).toBe('instructor_conflict');
    expect(await app.db.models.Booking.count({ where: { instructor_id: inst.id, start_at: new Date('2026-07-10T11:00:00Z') } })).toBe(1);
  });
});
