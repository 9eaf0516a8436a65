import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerUser, startTestApp, type TestApp } from './harness.js';

describe('instructor profile', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('starts with the defaults and the registration timezone', async () => {
    const inst = await registerUser(app, 'instructor', { timezone: 'Europe/Berlin' });
    const res = await call(app, 'GET', '/v1/me/instructor-profile', { token: inst.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ bio: '', timezone: 'Europe/Berlin', min_advance_hours: 2, buffer_minutes: 0, service_areas: [], published: false });
    expect(res.body).not.toHaveProperty('user_id');
  });

  it('updates the given fields and keeps the others', async () => {
    const inst = await registerUser(app, 'instructor');
    const put = await call(app, 'PUT', '/v1/me/instructor-profile', {
      token: inst.token,
      body: { bio: 'Jazz piano', timezone: 'America/New_York', min_advance_hours: 24, buffer_minutes: 15, service_areas: [' Brooklyn ', 'Queens', 'Brooklyn'] },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ bio: 'Jazz piano', timezone: 'America/New_York', min_advance_hours: 24, buffer_minutes: 15, service_areas: ['Brooklyn', 'Queens'], published: false });
    const partial = await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { published: true } });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ bio: 'Jazz piano', min_advance_hours: 24, buffer_minutes: 15, service_areas: ['Brooklyn', 'Queens'], published: true });
    const get = await call(app, 'GET', '/v1/me/instructor-profile', { token: inst.token });
    expect(get.body).toEqual(partial.body);
  });

  it('is for instructors only: a student gets 403 forbidden, no token 401', async () => {
    const student = await registerUser(app, 'student');
    const get = await call(app, 'GET', '/v1/me/instructor-profile', { token: student.token });
    expect(get.status).toBe(403);
    expect(get.body.code).toBe('forbidden');
    const put = await call(app, 'PUT', '/v1/me/instructor-profile', { token: student.token, body: { bio: 'x' } });
    expect(put.status).toBe(403);
    expect(put.body.code).toBe('forbidden');
    const anon = await call(app, 'GET', '/v1/me/instructor-profile');
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe('unauthenticated');
  });

  it.each([
    [{ buffer_minutes: 241 }, '/body/buffer_minutes'],
    [{ buffer_minutes: -1 }, '/body/buffer_minutes'],
    [{ min_advance_hours: 721 }, '/body/min_advance_hours'],
    [{ min_advance_hours: -1 }, '/body/min_advance_hours'],
    [{ min_advance_hours: 1.5 }, '/body/min_advance_hours'],
    [{ service_areas: Array.from({ length: 21 }, (_, i) => `Area ${i}`) }, '/body/service_areas'],
    [{ service_areas: [''] }, '/body/service_areas/0'],
    [{ published: 'yes' }, '/body/published'],
    [{ user_id: '00000000-0000-4000-8000-000000000000' }, '/body'],
  ])('rejects %j with 400 validation_error', async (body, pathPrefix) => {
    const inst = await registerUser(app, 'instructor');
    const res = await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.errors.some((e: { path: string }) => e.path.startsWith(pathPrefix))).toBe(true);
    const after = await call(app, 'GET', '/v1/me/instructor-profile', { token: inst.token });
    expect(after.body).toMatchObject({ min_advance_hours: 2, buffer_minutes: 0, service_areas: [], published: false });
  });

  it('accepts the bounds', async () => {
    const inst = await registerUser(app, 'instructor');
    const max = await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { buffer_minutes: 240, min_advance_hours: 720 } });
    expect(max.status).toBe(200);
    expect(max.body).toMatchObject({ buffer_minutes: 240, min_advance_hours: 720 });
    const min = await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { buffer_minutes: 0, min_advance_hours: 0 } });
    expect(min.status).toBe(200);
    expect(min.body).toMatchObject({ buffer_minutes: 0, min_advance_hours: 0 });
  });

  it('rejects an unknown timezone with 400 invalid_timezone', async () => {
    const inst = await registerUser(app, 'instructor');
    const res = await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { timezone: 'Berlin' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_timezone');
  });

  it('can clear the service areas', async () => {
    const inst = await registerUser(app, 'instructor');
    await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { service_areas: ['Mitte'] } });
    const res = await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { service_areas: [] } });
    expect(res.status).toBe(200);
    expect(res.body.service_areas).toEqual([]);
  });
});
