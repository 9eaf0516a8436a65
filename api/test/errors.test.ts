import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type ApiResponse, type TestApp } from './harness.js';

/** A problem+json answer with the code, and nothing that leaks internals. */
function expectProblem(res: ApiResponse, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expectNoInternals(res);
}

function expectNoInternals(res: ApiResponse) {
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|\.js:\d+|SequelizeError|SQLITE_|syntax error at|stack/i);
}

describe('errors', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('an unknown route is 404 not_found as problem+json with the path as instance', async () => {
    for (const path of ['/nope', '/v1/nope', '/v1/me/nope']) {
      const res = await call(app, 'GET', path);
      expectProblem(res, 404, 'not_found');
      expect(res.body.instance).toBe(path);
    }
  });

  it('a wrong method is 405 method_not_allowed', async () => {
    expectProblem(await call(app, 'DELETE', '/v1/me'), 405, 'method_not_allowed');
    expectProblem(await call(app, 'PUT', '/v1/instructors', { body: {} }), 405, 'method_not_allowed');
    expectProblem(await call(app, 'GET', '/v1/auth/login'), 405, 'method_not_allowed');
  });

  it('a body over 1 MB is 413 payload_too_large', async () => {
    const res = await call(app, 'POST', '/v1/auth/register', {
      body: { email: 'big@example.com', password: 'a-long-password-1', full_name: 'x'.repeat(1_100_000), role: 'student' },
    });
    expectProblem(res, 413, 'payload_too_large');
    const login = await call(app, 'POST', '/v1/auth/login', { body: { email: 'big@example.com', password: 'a-long-password-1' } });
    expect(login.status).toBe(401);
  });

  it('malformed JSON is 400 malformed_json', async () => {
    for (const raw of ['{"email":', "{'email': 'a@b.co'}", '{"a":1,}']) {
      expectProblem(await call(app, 'POST', '/v1/auth/login', { raw }), 400, 'malformed_json');
    }
  });

  it('a non-JSON content type is 415 unsupported_media_type', async () => {
    const text = await call(app, 'POST', '/v1/auth/login', { raw: 'email=a@b.co&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectProblem(text, 415, 'unsupported_media_type');
    const plain = await call(app, 'POST', '/v1/auth/login', { raw: '{"email":"a@b.co","password":"x"}', headers: { 'content-type': 'text/plain' } });
    expectProblem(plain, 415, 'unsupported_media_type');
  });

  it('a body of the wrong shape is 400 validation_error with the failing fields', async () => {
    const arr = await call(app, 'POST', '/v1/auth/login', { raw: '[]' });
    expectProblem(arr, 400, 'validation_error');
    expect(arr.body.errors).toEqual([{ path: '/body', message: expect.any(String) }]);
    const proto = await call(app, 'POST', '/v1/auth/login', { raw: '{"__proto__":{"admin":true},"email":"a@b.co","password":"x"}' });
    expectProblem(proto, 400, 'validation_error');
  });

  it('query injection attempts are 400, never 500', async () => {
    for (const q of ['q=a&q=b', 'q[$ne]=x', 'limit[$gt]=1', 'sort[]=name', 'cursor=%00%00']) {
      const res = await call(app, 'GET', `/v1/instructors?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expectNoInternals(res);
    }
  });

  it('stores SQL and script fragments in names literally', async () => {
    const names = ["Robert'); DROP TABLE users;--", '<script>alert(1)</script>', 'x" OR "1"="1', '50% off_piano \\'];
    for (const full_name of names) {
      const user = await registerUser(app, 'student', { full_name });
      const me = await call(app, 'GET', '/v1/me', { token: user.token });
      expect(me.status).toBe(200);
      expect(me.body.full_name).toBe(full_name);
    }
    const inst = await registerUser(app, 'instructor');
    const profile = await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { bio: "'; DELETE FROM services; --", service_areas: ["O'Hare", 'a|b'] } });
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ bio: "'; DELETE FROM services; --", service_areas: ["O'Hare", 'a|b'] });
  });

  it('searches SQL and LIKE fragments in q literally, never a 500', async () => {
    const quote = await publishedInstructor(app, { skill: "Rock'n'Roll", areas: ["O'Hare"] });
    await call(app, 'PATCH', '/v1/me', { token: quote.token, body: { full_name: "Robert'); DROP TABLE users;--" } });
    const percent = await publishedInstructor(app, { skill: 'Piano' });
    await call(app, 'PATCH', '/v1/me', { token: percent.token, body: { full_name: '100% Piano_Pro' } });
    const plain = await publishedInstructor(app, { skill: 'Piano' });
    await call(app, 'PATCH', '/v1/me', { token: plain.token, body: { full_name: '1000 Piano Pros' } });

    const search = async (q: string) => {
      const res = await call(app, 'GET', `/v1/instructors?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expectNoInternals(res);
      return res.body.data.map((i: { id: string }) => i.id).sort();
    };
    expect(await search("'); DROP TABLE users;--")).toEqual([quote.id]);
    expect(await search("rock'n'roll")).toEqual([quote.id]);
    expect(await search('%')).toEqual([percent.id]);
    expect(await search('0%')).toEqual([percent.id]);
    expect(await search('_')).toEqual([percent.id]);
    expect(await search('\\')).toEqual([]);
    expect(await search("' OR '1'='1")).toEqual([]);
    expect(await search('<script>')).toEqual([]);
    expect((await call(app, 'GET', `/v1/instructors?skill=${encodeURIComponent("Rock'n'Roll")}`)).body.data).toHaveLength(1);
    expect((await call(app, 'GET', `/v1/instructors?area=${encodeURIComponent("o'hare")}`)).body.data).toHaveLength(1);
    expect((await call(app, 'GET', `/v1/instructors?area=${encodeURIComponent('%')}`)).body.data).toHaveLength(0);
    // The tables are still there.
    expect((await call(app, 'GET', '/v1/instructors')).body.data).toHaveLength(3);
  });

  it('error bodies never contain a stack trace', async () => {
    const student = await registerUser(app, 'student');
    const responses = await Promise.all([
      call(app, 'GET', '/v1/me', { token: 'garbage.token.here' }),
      call(app, 'GET', '/v1/me/instructor-profile', { token: student.token }),
      call(app, 'POST', '/v1/auth/register', { body: { email: 'e@example.com' } }),
      call(app, 'GET', '/v1/instructors/00000000-0000-4000-8000-000000000000'),
      call(app, 'GET', '/v1/me/services?cursor=eyJ4IjoxfQ', { token: student.token }),
      call(app, 'POST', '/v1/auth/login', { raw: '{"email":' }),
    ]);
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectNoInternals(res);
    }
  });
});

describe('JSON bodies that are not objects', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it.each(['"str"', 'null', '[1]', '42'])('%s is a validation_error, not malformed JSON', async (raw) => {
    const res = await call(app, 'POST', '/v1/auth/login', { raw });
    expect([res.status, res.body.code]).toEqual([400, 'validation_error']);
  });
});

describe('tampered cursors and out-of-range dates', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());
  const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it.each([{ o: -1 }, { o: 'x' }, { o: '5' }, { o: 1.5 }])('search cursor %j is a 400', async (c) => {
    const res = await call(app, 'GET', `/v1/instructors?cursor=${cursor(c)}`);
    expect([res.status, res.body.code]).toEqual([400, 'validation_error']);
  });

  it.each([{ start_at: 'x', id: '00000000-0000-4000-8000-000000000000' }, { start_at: '2026-07-01T00:00:00Z', id: {} }, { start_at: 5, id: 5 }])('bookings cursor %j is a 400', async (c) => {
    const s = await registerUser(app, 'student');
    const res = await call(app, 'GET', `/v1/bookings?cursor=${cursor(c)}`, { token: s.token });
    expect([res.status, res.body.code]).toEqual([400, 'validation_error']);
  });

  it.each(['0050-01-01', '1899-12-31', '9999-12-31'])('date %s is a 400 invalid_date on public availability', async (date) => {
    const inst = await publishedInstructor(app, {});
    const res = await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=${date}&to=${date}`);
    expect([res.status, res.body.code]).toEqual([400, 'invalid_date']);
  });
});
