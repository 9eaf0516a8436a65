import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type ApiResponse, type TestApp } from './harness.js';
import { SpecRoutes } from '../src/platform/spec-routes.js';
import { SPEC_PATH } from '../src/app.js';

/** Input that used to reach the database unchecked (each was a 500): numbers, NUL bytes, nesting, dates. */

function expectProblem(res: ApiResponse, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body.code).toBe(code);
}

describe('input bounds', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let student: Awaited<ReturnType<typeof registerUser>>;
  const service = { skill: 'Cello', hourly_rate: 5000, currency: 'EUR', durations: [30, 60], location_types: ['online'] };
  beforeAll(async () => {
    app = await startTestApp();
    inst = await publishedInstructor(app, { days: [{ date: '2026-07-15', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
    student = await registerUser(app, 'student');
  });
  afterAll(async () => app.close());

  it('numbers that overflow to Infinity or beyond the column are 400 validation_error, in the query and in the body', async () => {
    for (const q of ['limit=1e400', 'limit=-1e400', 'limit=0x10', 'min_price=1e400', 'max_price=99999999999999999999', 'max_price=2147483648']) {
      expectProblem(await call(app, 'GET', `/v1/instructors?${q}`), 400, 'validation_error');
    }
    expectProblem(await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=2026-07-15&to=2026-07-15&duration_minutes=1e400`), 400, 'validation_error');
    expectProblem(await call(app, 'GET', '/v1/bookings?limit=1e400', { token: student.token }), 400, 'validation_error');
    // JSON.parse reads 1e400 as Infinity; 1e300 is an "integer" far beyond any column.
    for (const rate of ['1e400', '1e300', '10000001', '-1e400']) {
      const raw = JSON.stringify({ ...service, hourly_rate: 0 }).replace('"hourly_rate":0', `"hourly_rate":${rate}`);
      expectProblem(await call(app, 'POST', '/v1/me/services', { token: inst.token, raw }), 400, 'validation_error');
    }
    expectProblem(await call(app, 'PATCH', `/v1/me/services/${inst.serviceId}`, { token: inst.token, raw: '{"hourly_rate":1e400}' }), 400, 'validation_error');
    expectProblem(await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, raw: '{"buffer_minutes":1e400}' }), 400, 'validation_error');
    expectProblem(await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { min_advance_hours: 1e10 } }), 400, 'validation_error');
    const booking = { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-15', start_time: '09:00', location_type: 'online' };
    expectProblem(await call(app, 'POST', '/v1/bookings', { token: student.token, raw: JSON.stringify(booking).replace('}', ',"duration_minutes":1e400}') }), 400, 'validation_error');
  });

  it('the highest documented hourly rate is stored and priced exactly on both databases', async () => {
    const res = await call(app, 'POST', '/v1/me/services', { token: inst.token, body: { ...service, skill: 'Organ', hourly_rate: 10_000_000, durations: [480] } });
    expect(res.status).toBe(201);
    expect(res.body.hourly_rate).toBe(10_000_000);
    const search = await call(app, 'GET', '/v1/instructors?min_price=10000000&max_price=2147483647');
    expect(search.status).toBe(200);
    expect(search.body.data.map((i: { id: string }) => i.id)).toContain(inst.id);
  });

  it('a NUL byte in any query or body text is 400 validation_error', async () => {
    for (const path of ['/v1/instructors?q=a%00b', '/v1/instructors?skill=%00', '/v1/instructors?area=x%00', '/v1/instructors?cursor=%00']) {
      expectProblem(await call(app, 'GET', path), 400, 'validation_error');
    }
    const nul = 'a\u0000b';
    const cases: [string, string, unknown, string?][] = [
      ['POST', '/v1/me/services', { ...service, skill: nul }, inst.token],
      ['POST', '/v1/me/services', { ...service, description: nul }, inst.token],
      ['PUT', '/v1/me/instructor-profile', { bio: nul }, inst.token],
      ['PUT', '/v1/me/instructor-profile', { service_areas: ['Berlin', nul] }, inst.token],
      ['PATCH', '/v1/me', { full_name: nul }, student.token],
      ['POST', '/v1/me/blackouts', { date: '2026-07-20', reason: nul }, inst.token],
      ['POST', '/v1/me/api-keys', { name: nul }, inst.token],
      ['POST', '/v1/auth/register', { email: 'nul@example.com', password: 'a-long-password-1', full_name: nul, role: 'student' }],
      ['POST', '/v1/auth/login', { email: 'nul@example.com', password: nul }],
      ['POST', '/v1/bookings', { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-15', start_time: '09:00', duration_minutes: 30, location_type: 'online', note: nul }, student.token],
    ];
    for (const [method, path, body, token] of cases) {
      const res = await call(app, method, path, { body, token });
      expectProblem(res, 400, 'validation_error');
      expect(res.body.errors[0].message).toMatch(/NUL/);
    }
    // Nothing was stored.
    const services = await call(app, 'GET', '/v1/me/services', { token: inst.token });
    expect(JSON.stringify(services.body)).not.toContain('\\u0000');
  });

  it('deeply nested JSON, even in fields read before validation (the rate-limit key reads email), is 400, never a stack overflow', async () => {
    const deep = (n: number) => '['.repeat(n) + '1' + ']'.repeat(n);
    for (const path of ['/v1/auth/login', '/v1/auth/register', '/v1/auth/password-reset/request']) {
      const res = await call(app, 'POST', path, { raw: `{"email":${deep(100_000)},"password":"a-long-password-1"}` });
      expectProblem(res, 400, 'validation_error');
      expect(res.body.errors[0].message).toMatch(/nest/);
    }
    expectProblem(await call(app, 'POST', '/v1/me/services', { token: inst.token, raw: `{"skill":{"a":${deep(40)}}}` }), 400, 'validation_error');
    expectProblem(await call(app, 'GET', '/v1/instructors?q[a][b][c][d][e][f]=1'), 400, 'validation_error');
    // A login with a real email still works afterwards.
    expect((await call(app, 'POST', '/v1/auth/login', { body: { email: student.email, password: 'a-long-password-1' } })).status).toBe(200);
  });

  it('every date query parameter of every list endpoint is checked like availability: 400 invalid_date, from after to is 400', async () => {
    const routes = SpecRoutes.load(SPEC_PATH);
    const tokenFor = (path: string) => (path.startsWith('/v1/me') ? inst.token : path.startsWith('/v1/bookings') ? student.token : undefined);
    let checked = 0;
    for (const route of routes.all()) {
      const get = route.operations.get('GET');
      if (!get?.dateQuery.length) continue;
      const path = route.template.replace('{instructor_id}', inst.id);
      const token = tokenFor(path);
      for (const name of get.dateQuery) {
        const others = get.dateQuery.filter((n) => n !== name).map((n) => `&${n}=2026-07-15`).join('');
        for (const bad of ['2026-02-30', '2026-13-01', '2026-7-1', '0000-01-01', 'tomorrow']) {
          const res = await call(app, 'GET', `${path}?${name}=${bad}${others}`, { token });
          expectProblem(res, 400, 'invalid_date');
          checked++;
        }
      }
      if (get.dateQuery.includes('from') && get.dateQuery.includes('to')) {
        const res = await call(app, 'GET', `${path}?from=2026-07-16&to=2026-07-15`, { token });
        expectProblem(res, 400, 'invalid_date');
        const ok = await call(app, 'GET', `${path}?from=2026-07-15&to=2026-07-15`, { token });
        expect(ok.status, `${path} ${JSON.stringify(ok.body)}`).toBe(200);
      }
    }
    // availability, blackouts, bookings, search (available_on), public availability
    expect(checked).toBeGreaterThanOrEqual(5 * 8);
  });
});
