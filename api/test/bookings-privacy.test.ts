import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountRepository } from '../src/accounts/repository.js';
import { hashPassword } from '../src/platform/passwords.js';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

/**
 * Who may see and change a booking between student A and instructor I. Everyone else gets 404
 * (the booking does not exist for them), anonymous callers 401, publishable keys 403; secret API
 * keys act as their owner.
 */

const SITE = 'https://partner.example.com';
const NOW = new Date('2026-07-01T08:00:00Z');
const DAYS = ['2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09', '2026-07-10'];
const HOURS = ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00', '17:00', '18:00', '19:00'];

const CALLERS = [
  'owner student',
  'other student',
  'owner instructor',
  'other instructor',
  'admin',
  'anonymous',
  'owner student api key',
  'other student api key',
  'instructor publishable key',
] as const;
type Caller = (typeof CALLERS)[number];

/** What a caller gets: access, or the problem code that denies it. */
type Outcome = 'ok' | 'not_found' | 'unauthenticated' | 'forbidden';
const STATUS: Record<Exclude<Outcome, 'ok'>, number> = { not_found: 404, unauthenticated: 401, forbidden: 403 };

/** Participants, admins and the owner's key see and change the booking; nobody else knows it exists. */
const PARTICIPANT: Record<Caller, Outcome> = {
  'owner student': 'ok',
  'other student': 'not_found',
  'owner instructor': 'ok',
  'other instructor': 'not_found',
  admin: 'ok',
  anonymous: 'unauthenticated',
  'owner student api key': 'ok',
  'other student api key': 'not_found',
  'instructor publishable key': 'forbidden',
};
/** Completing / marking no-show: only the instructor (or an admin); the student sees it but may not. */
const INSTRUCTOR_ONLY: Record<Caller, Outcome> = { ...PARTICIPANT, 'owner student': 'forbidden', 'owner student api key': 'forbidden' };
/** How a successful cancel records who cancelled. */
const CANCELLED_BY: Partial<Record<Caller, string>> = { 'owner student': 'student', 'owner instructor': 'instructor', admin: 'admin', 'owner student api key': 'student' };

const rows = (matrix: Record<Caller, Outcome>) => CALLERS.map((caller) => [caller, matrix[caller]] as const);

describe('booking privacy matrix', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let studentA: Awaited<ReturnType<typeof registerUser>>;
  let shared: { id: string; start_at: string };
  let theirs: string;
  let ghost: Record<string, unknown>;
  const as: Record<Caller, { token?: string; headers?: Record<string, string> }> = {} as never;
  let slot = 0;

  /** A fresh, unique hour on the instructor's calendar. */
  const nextSlot = () => {
    const n = slot++;
    const date = DAYS[Math.floor(n / HOURS.length)];
    const start_time = HOURS[n % HOURS.length];
    if (!date || !start_time) throw new Error('out of slots');
    return { date, start_time };
  };

  /** A new confirmed booking of student A with instructor I. */
  const freshBooking = async (): Promise<{ id: string; start_at: string }> => {
    const res = await call(app, 'POST', '/v1/bookings', {
      token: studentA.token,
      body: { instructor_id: inst.id, service_id: inst.serviceId, duration_minutes: 60, location_type: 'online', ...nextSlot() },
    });
    expect(res.status).toBe(201);
    return res.body;
  };

  const request = (caller: Caller, method: string, path: string, body?: unknown) => call(app, method, path, { ...as[caller], body });

  /** The denial is exactly the documented problem; a 404 looks the same as for a booking that never existed. */
  const expectDenied = (res: { status: number; body: Record<string, unknown> }, outcome: Exclude<Outcome, 'ok'>) => {
    expect(res.status).toBe(STATUS[outcome]);
    expect(res.body.code).toBe(outcome);
    if (outcome === 'not_found') {
      expect({ title: res.body.title, detail: res.body.detail }).toEqual({ title: ghost.title, detail: ghost.detail });
      expect(JSON.stringify(res.body)).not.toContain(studentA.id);
    }
  };

  /** A denied write left the booking untouched. */
  const expectUnchanged = async (booking: { id: string; start_at: string }) => {
    const now = await call(app, 'GET', `/v1/bookings/${booking.id}`, { token: studentA.token });
    expect(now.status).toBe(200);
    expect({ status: now.body.status, start_at: now.body.start_at }).toEqual({ status: 'confirmed', start_at: booking.start_at });
  };

  beforeAll(async () => {
    // One student books every lesson of the matrix with one instructor: raise the booking limit like the rate limits.
    app = await startTestApp({ now: NOW, env: { STUDENT_BOOKING_LIMIT: '1000' } });
    inst = await publishedInstructor(app, { days: ['2026-07-05', ...DAYS].map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '20:00' }] })) });
    const otherInst = await publishedInstructor(app, { days: [{ date: '2026-07-05', ranges: [{ start_time: '08:00', end_time: '20:00' }] }] });
    studentA = await registerUser(app, 'student');
    const studentB = await registerUser(app, 'student');

    const adminEmail = `admin-${randomUUID()}@example.com`;
    const password_hash = await hashPassword('an-admin-password-1');
    await app.db.transaction((tx) => accountRepository(app.db).createUser({ email: adminEmail, password_hash, full_name: 'Ada Admin', role: 'admin', timezone: 'UTC' }, tx));
    const login = await call(app, 'POST', '/v1/auth/login', { body: { email: adminEmail, password: 'an-admin-password-1' } });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('admin');

    const key = async (token: string, body: Record<string, unknown>) => {
      const res = await call(app, 'POST', '/v1/me/api-keys', { token, body });
      expect(res.status).toBe(201);
      return res.body.secret as string;
    };
    Object.assign(as, {
      'owner student': { token: studentA.token },
      'other student': { token: studentB.token },
      'owner instructor': { token: inst.token },
      'other instructor': { token: otherInst.token },
      admin: { token: login.body.access_token },
      anonymous: {},
      'owner student api key': { token: await key(studentA.token, { name: 'A script' }) },
      'other student api key': { token: await key(studentB.token, { name: 'B script' }) },
      'instructor publishable key': { token: await key(inst.token, { name: 'widget', type: 'publishable', allowed_origins: [SITE] }), headers: { origin: SITE } },
    } satisfies Record<Caller, unknown>);

    // The booking under test, on a date of its own, and one between the other student and the other instructor.
    const a = await call(app, 'POST', '/v1/bookings', {
      token: studentA.token,
      body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-05', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
    });
    expect(a.status).toBe(201);
    shared = a.body;
    const b = await call(app, 'POST', '/v1/bookings', {
      token: studentB.token,
      body: { instructor_id: otherInst.id, service_id: otherInst.serviceId, date: '2026-07-05', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
    });
    expect(b.status).toBe(201);
    theirs = b.body.id;
    ghost = (await call(app, 'GET', `/v1/bookings/${randomUUID()}`, { token: studentB.token })).body;
    expect(ghost.code).toBe('not_found');
  });
  afterAll(async () => app?.close());

  it.each(rows(PARTICIPANT))('GET /v1/bookings/{id} as %s: %s', async (caller, outcome) => {
    const res = await request(caller, 'GET', `/v1/bookings/${shared.id}`);
    if (outcome !== 'ok') return expectDenied(res, outcome);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: shared.id, student_id: studentA.id, instructor_id: inst.id, status: 'confirmed' });
  });

  it.each(rows(PARTICIPANT))('GET /v1/bookings lists the booking to %s: %s', async (caller, outcome) => {
    const res = await request(caller, 'GET', '/v1/bookings?from=2026-07-05&to=2026-07-05');
    if (outcome === 'unauthenticated' || outcome === 'forbidden') return expectDenied(res, outcome);
    expect(res.status).toBe(200);
    const ids = (res.body.data as { id: string }[]).map((b) => b.id);
    if (outcome === 'ok') expect(ids).toContain(shared.id);
    else expect(ids).not.toContain(shared.id);
    // The other pair's booking: only they and admins see it, so every list is non-trivial.
    const seesTheirs = caller === 'admin' || caller.startsWith('other');
    expect(ids.includes(theirs)).toBe(seesTheirs);
    expect(ids).toHaveLength(caller === 'admin' ? 2 : 1);
  });

  it.each(rows(PARTICIPANT))('POST cancel as %s: %s', async (caller, outcome) => {
    const booking = await freshBooking();
    const res = await request(caller, 'POST', `/v1/bookings/${booking.id}/cancel`, { reason: 'privacy test' });
    if (outcome !== 'ok') {
      expectDenied(res, outcome);
      return expectUnchanged(booking);
    }
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: booking.id, status: 'cancelled', cancelled_by: CANCELLED_BY[caller], cancellation_reason: 'privacy test' });
  });

  it.each(rows(PARTICIPANT))('POST reschedule as %s: %s', async (caller, outcome) => {
    const booking = await freshBooking();
    const target = nextSlot();
    const res = await request(caller, 'POST', `/v1/bookings/${booking.id}/reschedule`, target);
    if (outcome !== 'ok') {
      expectDenied(res, outcome);
      return expectUnchanged(booking);
    }
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: booking.id, status: 'confirmed', ...target });
  });

  describe.each([
    ['complete', 'completed'],
    ['no-show', 'no_show'],
  ] as const)('POST %s once the lesson has started', (action, status) => {
    it.each(rows(INSTRUCTOR_ONLY))(`as %s: %s`, async (caller, outcome) => {
      const booking = await freshBooking();
      app.clock.set(new Date(Date.parse(booking.start_at) + 60_000));
      try {
        const res = await request(caller, 'POST', `/v1/bookings/${booking.id}/${action}`);
        if (outcome !== 'ok') {
          expectDenied(res, outcome);
          return await expectUnchanged(booking);
        }
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: booking.id, status });
      } finally {
        app.clock.set(NOW);
      }
    });
  });

  it.each(CALLERS.filter((c) => INSTRUCTOR_ONLY[c] === 'ok'))('POST complete before the lesson starts as %s: 409 invalid_transition (access granted, nothing changed)', async (caller) => {
    const res = await request(caller, 'POST', `/v1/bookings/${shared.id}/complete`);
    expect([res.status, res.body.code]).toEqual([409, 'invalid_transition']);
    await expectUnchanged(shared);
  });
});
