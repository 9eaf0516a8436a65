import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_PATH } from '../src/app.js';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

interface Operation {
  security?: unknown[];
}
const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as { security: unknown[]; paths: Record<string, Record<string, Operation>> };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation that needs credentials or hands them out: its answers carry personal data or secrets. */
const privateOperations = Object.entries(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).flatMap((method) => {
    const op = item[method]!;
    // `security: [{}, ...]` means credentials are optional: a public read.
    const security = (op.security ?? spec.security) as object[];
    const needsCredentials = security.length > 0 && !security.some((s) => Object.keys(s).length === 0);
    return needsCredentials || path.startsWith('/v1/auth/') ? [{ method: method.toUpperCase(), path }] : [];
  }),
);

/** A concrete URL for a path template (ids that do not exist: answers are 4xx, and must not be cached either). */
const concrete = (path: string) => path.replace(/\{date\}/g, '2026-07-13').replace(/\{[a-z_]+\}/g, () => randomUUID());

describe('Cache-Control: no-store on everything personal', () => {
  let app: TestApp;
  let student: Awaited<ReturnType<typeof registerUser>>;
  let teacher: Awaited<ReturnType<typeof publishedInstructor>>;
  beforeAll(async () => {
    app = await startTestApp();
    student = await registerUser(app, 'student');
    teacher = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
  });
  afterAll(async () => app.close());

  it('covers the whole class of operations in the contract', () => {
    const names = privateOperations.map((o) => `${o.method} ${o.path}`);
    for (const expected of ['POST /v1/auth/login', 'POST /v1/auth/register', 'POST /v1/auth/refresh', 'GET /v1/me', 'GET /v1/me/api-keys', 'POST /v1/me/api-keys', 'GET /v1/bookings', 'GET /v1/bookings/{booking_id}', 'POST /v1/me/password']) {
      expect(names).toContain(expected);
    }
  });

  it('every such operation answers no-store, signed in or not, whatever the outcome', async () => {
    for (const { method, path } of privateOperations) {
      const url = concrete(path);
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      for (const token of [undefined, student.token, teacher.token]) {
        const res = await call(app, method, url, { token, body });
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        expect(res.headers.get('cache-control'), `${method} ${path} -> ${res.status}`).toBe('no-store');
      }
    }
  });

  it('successful answers with tokens, keys, accounts and bookings are no-store', async () => {
    const email = `nostore-${randomUUID()}@example.com`;
    const reg = await call(app, 'POST', '/v1/auth/register', { body: { email, password: 'a-long-password-1', full_name: 'N', role: 'student' } });
    const login = await call(app, 'POST', '/v1/auth/login', { body: { email, password: 'a-long-password-1' } });
    const refreshed = await call(app, 'POST', '/v1/auth/refresh', { body: { refresh_token: login.body.refresh_token } });
    const key = await call(app, 'POST', '/v1/me/api-keys', { token: student.token, body: { name: 'k' } });
    const booking = await call(app, 'POST', '/v1/bookings', {
      token: student.token,
      body: { instructor_id: teacher.id, service_id: teacher.serviceId, date: '2026-07-06', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
    });
    const answers = {
      register: reg,
      login,
      refreshed,
      key,
      booking,
      me: await call(app, 'GET', '/v1/me', { token: student.token }),
      keys: await call(app, 'GET', '/v1/me/api-keys', { token: student.token }),
      bookings: await call(app, 'GET', '/v1/bookings', { token: student.token }),
      bookingById: await call(app, 'GET', `/v1/bookings/${booking.body.id}`, { token: teacher.token }),
      meWithKey: await call(app, 'GET', '/v1/me', { token: key.body.secret }),
    };
    for (const [name, res] of Object.entries(answers)) {
      expect(res.status, name).toBeLessThan(300);
      expect(res.headers.get('cache-control'), name).toBe('no-store');
    }
  });

  it('public reads stay cacheable (revalidated)', async () => {
    const res = await call(app, 'GET', `/v1/instructors/${teacher.id}/availability?from=2026-07-06&to=2026-07-06`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
  });
});
