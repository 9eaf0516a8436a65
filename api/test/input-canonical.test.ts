import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

/** One spelling per thing: names never blank, zones in IANA's spelling, UUIDs in any case but one cache key. */
describe('canonical input', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let student: Awaited<ReturnType<typeof registerUser>>;
  beforeAll(async () => {
    app = await startTestApp();
    inst = await publishedInstructor(app, { days: [{ date: '2026-07-15', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
    student = await registerUser(app, 'student');
  });
  afterAll(async () => app.close());

  it('whitespace-only names, skills, areas and key names are 400 validation_error and nothing is stored empty', async () => {
    const blanks = ['   ', '\t', ' \n '];
    for (const blank of blanks) {
      const register = await call(app, 'POST', '/v1/auth/register', { body: { email: `blank${blank.length}@example.com`, password: 'a-long-password-1', full_name: blank, role: 'student' } });
      expect(register.status).toBe(400);
      expect(register.body.code).toBe('validation_error');
      expect((await call(app, 'PATCH', '/v1/me', { token: student.token, body: { full_name: blank } })).body.code).toBe('validation_error');
      const svc = await call(app, 'POST', '/v1/me/services', { token: inst.token, body: { skill: blank, hourly_rate: 100, durations: [30], location_types: ['online'] } });
      expect(svc.body.code).toBe('validation_error');
      expect((await call(app, 'PATCH', `/v1/me/services/${inst.serviceId}`, { token: inst.token, body: { skill: blank } })).body.code).toBe('validation_error');
      expect((await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { service_areas: ['Berlin', blank] } })).body.code).toBe('validation_error');
      expect((await call(app, 'POST', '/v1/me/api-keys', { token: inst.token, body: { name: blank } })).body.code).toBe('validation_error');
    }
    expect((await call(app, 'GET', '/v1/me', { token: student.token })).body.full_name).not.toBe('');
    const services = await call(app, 'GET', '/v1/me/services', { token: inst.token });
    expect(services.body.data.map((s: { skill: string }) => s.skill)).toEqual(['Piano']);
    // Names with spaces around them are stored trimmed.
    const named = await call(app, 'PATCH', '/v1/me', { token: student.token, body: { full_name: '  Sam Student  ' } });
    expect(named.body.full_name).toBe('Sam Student');
  });

  it('time zones are stored in their canonical IANA spelling', async () => {
    const reg = await call(app, 'POST', '/v1/auth/register', { body: { email: 'tz@example.com', password: 'a-long-password-1', full_name: 'Zoe', role: 'instructor', timezone: 'europe/berlin' } });
    expect(reg.status).toBe(201);
    expect(reg.body.user.timezone).toBe('Europe/Berlin');
    const token = reg.body.access_token as string;
    expect((await call(app, 'GET', '/v1/me/instructor-profile', { token })).body.timezone).toBe('Europe/Berlin');
    expect((await call(app, 'PATCH', '/v1/me', { token, body: { timezone: 'AMERICA/NEW_YORK' } })).body.timezone).toBe('America/New_York');
    expect((await call(app, 'PUT', '/v1/me/instructor-profile', { token, body: { timezone: 'asia/tokyo' } })).body.timezone).toBe('Asia/Tokyo');
    expect((await call(app, 'PUT', '/v1/me/instructor-profile', { token, body: { timezone: 'etc/utc' } })).body.timezone).toBe('UTC');
    expect((await call(app, 'PUT', '/v1/me/instructor-profile', { token, body: { timezone: 'Mars/Olympus' } })).body.code).toBe('invalid_timezone');
  });

  it('UUIDs in paths match in any case, and an uppercase URL never serves stale data (cache and fast lane)', async () => {
    const upper = inst.id.toUpperCase();
    const read = async (id: string) => call(app, 'GET', `/v1/instructors/${id}`);
    for (let i = 0; i < 2; i++) {
      // Twice: the second read of each URL is answered by the fast lane from the cache.
      expect((await read(upper)).body).toMatchObject({ id: inst.id, bio: 'Teaches well' });
      expect((await read(inst.id)).body.bio).toBe('Teaches well');
    }
    expect((await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { bio: 'Now also jazz' } })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect((await read(upper)).body.bio).toBe('Now also jazz');
      expect((await read(inst.id)).body.bio).toBe('Now also jazz');
    }
    const availability = (id: string) => call(app, 'GET', `/v1/instructors/${id}/availability?from=2026-07-15&to=2026-07-15&duration_minutes=60`);
    expect((await availability(upper)).body.days[0].start_times).toContain('10:00');
    await availability(upper);

    // A booking with the ids in upper case, then read and cancelled by an uppercase URL.
    const booked = await call(app, 'POST', '/v1/bookings', {
      token: student.token,
      body: { instructor_id: upper, service_id: inst.serviceId.toUpperCase(), date: '2026-07-15', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect(booked.body.instructor_id).toBe(inst.id);
    expect((await availability(upper)).body.days[0].start_times).not.toContain('10:00');
    const id = (booked.body.id as string).toUpperCase();
    expect((await call(app, 'GET', `/v1/bookings/${id}`, { token: student.token })).body.id).toBe(booked.body.id);
    expect((await call(app, 'POST', `/v1/bookings/${id}/cancel`, { token: student.token, body: {} })).body.status).toBe('cancelled');
    expect((await availability(upper)).body.days[0].start_times).toContain('10:00');
    expect((await call(app, 'PATCH', `/v1/me/services/${inst.serviceId.toUpperCase()}`, { token: inst.token, body: { description: 'upper' } })).body.description).toBe('upper');
  });
});
