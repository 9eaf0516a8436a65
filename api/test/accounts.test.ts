import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose';
import { call, registerUser, startTestApp, type TestApp } from './harness.js';

const PASSWORD = 'a-long-password-1';

describe('accounts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const register = (body: Record<string, unknown>) => call(app, 'POST', '/v1/auth/register', { body });

  describe('register', () => {
    it('creates an account and returns user, access_token, token_type and expires_in', async () => {
      const res = await register({ email: 'ada@example.com', password: PASSWORD, full_name: 'Ada Lovelace', role: 'instructor', timezone: 'Europe/Berlin' });
      expect(res.status).toBe(201);
      expect(res.body.user).toMatchObject({ email: 'ada@example.com', full_name: 'Ada Lovelace', role: 'instructor', timezone: 'Europe/Berlin' });
      expect(res.body.user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.user).not.toHaveProperty('password_hash');
      expect(res.body.token_type).toBe('Bearer');
      expect(res.body.expires_in).toBeGreaterThan(0);
      expect(decodeJwt(res.body.access_token).sub).toBe(res.body.user.id);
    });

    it('registering the same email concurrently creates one account; the others get 409 email_taken', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) => register({ email: i % 2 ? 'RACE@example.com' : 'race@example.com', password: PASSWORD, full_name: `Racer ${i}`, role: 'instructor' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('email_taken');
    });

    it('defaults the timezone to UTC', async () => {
      const res = await register({ email: 'utc@example.com', password: PASSWORD, full_name: 'U', role: 'student' });
      expect(res.status).toBe(201);
      expect(res.body.user.timezone).toBe('UTC');
    });

    it('normalizes the email (trim + lowercase) and keeps it unique, whatever the case', async () => {
      const res = await register({ email: 'Grace.Hopper@Example.COM', password: PASSWORD, full_name: 'Grace', role: 'student' });
      expect(res.status).toBe(201);
      expect(res.body.user.email).toBe('grace.hopper@example.com');
      const again = await register({ email: 'grace.hopper@example.com', password: PASSWORD, full_name: 'Grace 2', role: 'student' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('email_taken');
      const upper = await register({ email: 'GRACE.HOPPER@EXAMPLE.COM', password: PASSWORD, full_name: 'Grace 3', role: 'student' });
      expect(upper.status).toBe(409);
      expect(upper.body.code).toBe('email_taken');
      const login = await call(app, 'POST', '/v1/auth/login', { body: { email: 'GRACE.hopper@example.com', password: PASSWORD } });
      expect(login.status).toBe(200);
    });

    it('rejects an email padded with whitespace at the contract (format: email), so no account with spaces exists', async () => {
      const res = await register({ email: '  spaced@example.com  ', password: PASSWORD, full_name: 'Spaced', role: 'student' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(res.body.errors[0].path).toBe('/body/email');
    });

    it('rejects an unknown IANA timezone with 400 invalid_timezone', async () => {
      const res = await register({ email: 'tz@example.com', password: PASSWORD, full_name: 'Tz', role: 'student', timezone: 'Mars/Olympus' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_timezone');
      expect(res.body.errors[0].path).toBe('/body/timezone');
    });

    it('rejects a password shorter than 10 characters with 400 validation_error (contract minLength)', async () => {
      const res = await register({ email: 'short@example.com', password: 'short', full_name: 'S', role: 'student' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('/body/password');
    });

    it.each(['password123', '1234567890', 'qwertyuiop', 'Password1!', 'iloveyou12', 'aaaaaaaaaaaa', 'abcdefghij'.repeat(3)])(
      'refuses the common password %s with 422 weak_password',
      async (password) => {
        const res = await call(app, 'POST', '/v1/auth/register', { body: { email: `common-${Math.random()}@example.com`, password, full_name: 'C', role: 'student' } });
        expect([res.status, res.body.code]).toEqual([422, 'weak_password']);
        expect(res.body.errors).toEqual([{ path: '/body/password', message: 'is too common' }]);
      },
    );

    it('refuses a password made of the own name', async () => {
      const res = await call(app, 'POST', '/v1/auth/register', { body: { email: `name-${Math.random()}@example.com`, password: 'Bartholomew Quist', full_name: 'Bartholomew Quist', role: 'student' } });
      expect([res.status, res.body.code]).toEqual([422, 'weak_password']);
    });

    it('accepts passphrases and uncommon passwords', async () => {
      for (const password of ['correct-horse-battery', 'a-long-password-1', 'tess-secret-2026']) {
        const res = await call(app, 'POST', '/v1/auth/register', { body: { email: `ok-${Math.random()}@example.com`, password, full_name: 'C', role: 'student' } });
        expect(res.status, password).toBe(201);
      }
    });

    it('rejects a password equal to the email with 422 weak_password', async () => {
      const res = await register({ email: 'samesame@example.com', password: 'SameSame@Example.com', full_name: 'S', role: 'student' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('weak_password');
    });

    it('does not allow registering an admin', async () => {
      const res = await register({ email: 'admin@example.com', password: PASSWORD, full_name: 'A', role: 'admin' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('/body/role');
    });

    it('rejects unknown fields with 400 validation_error naming the field', async () => {
      const res = await register({ email: 'extra@example.com', password: PASSWORD, full_name: 'E', role: 'student', is_admin: true });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(JSON.stringify(res.body.errors)).toContain('is_admin');
      expect(res.body.errors[0].path).toMatch(/^\/body/);
    });

    it('rejects a missing field and an invalid email', async () => {
      const missing = await register({ email: 'm@example.com', password: PASSWORD, role: 'student' });
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('validation_error');
      const bad = await register({ email: 'not-an-email', password: PASSWORD, full_name: 'B', role: 'student' });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('validation_error');
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain('/body/email');
    });
  });

  describe('login', () => {
    it('returns a token for the right password', async () => {
      const user = await registerUser(app, 'student');
      const res = await call(app, 'POST', '/v1/auth/login', { body: { email: user.email, password: PASSWORD } });
      expect(res.status).toBe(200);
      expect(res.body.token_type).toBe('Bearer');
      expect(res.body.user.id).toBe(user.id);
      const me = await call(app, 'GET', '/v1/me', { token: res.body.access_token });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(user.id);
    });

    it('answers a wrong password and an unknown email identically with 401 invalid_credentials', async () => {
      const user = await registerUser(app, 'student');
      const wrong = await call(app, 'POST', '/v1/auth/login', { body: { email: user.email, password: 'wrong-password-123' } });
      const unknown = await call(app, 'POST', '/v1/auth/login', { body: { email: 'nobody-here@example.com', password: 'wrong-password-123' } });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.code).toBe('invalid_credentials');
      const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
      expect(strip(unknown.body)).toEqual(strip(wrong.body));
      expect(wrong.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
    });

    it('takes comparable time for an unknown email and a wrong password', async () => {
      const user = await registerUser(app, 'student');
      const time = async (email: string) => {
        const t = performance.now();
        const res = await call(app, 'POST', '/v1/auth/login', { body: { email, password: 'wrong-password-123' } });
        expect(res.status).toBe(401);
        return performance.now() - t;
      };
      await time('warmup@example.com');
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 5; i++) {
        known.push(await time(user.email));
        unknown.push(await time(`ghost${i}@example.com`));
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
      expect(median(unknown)).toBeGreaterThanOrEqual(median(known) * 0.5);
    });
  });

  describe('me', () => {
    it('needs a token: 401 unauthenticated', async () => {
      const res = await call(app, 'GET', '/v1/me');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it('rejects a malformed Authorization header', async () => {
      const res = await call(app, 'GET', '/v1/me', { headers: { authorization: 'Basic abc' } });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    });

    it('rejects a tampered token', async () => {
      const user = await registerUser(app, 'student');
      const [h, p, s] = user.token.split('.') as [string, string, string];
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url');
      const res = await call(app, 'GET', '/v1/me', { token: `${h}.${forged}.${s}` });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
      const flipped = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
      expect((await call(app, 'GET', '/v1/me', { token: flipped })).status).toBe(401);
    });

    it('rejects a token signed with another secret and an unsigned (alg none) token', async () => {
      const user = await registerUser(app, 'student');
      const other = await new SignJWT({ role: 'student' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuer('instainstru')
        .setAudience('instainstru-api')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another-secret-of-at-least-32-characters'));
      const a = await call(app, 'GET', '/v1/me', { token: other });
      expect(a.status).toBe(401);
      expect(a.body.code).toBe('unauthenticated');
      const none = new UnsecuredJWT({ role: 'admin' }).setSubject(user.id).setIssuer('instainstru').setAudience('instainstru-api').setIssuedAt().setExpirationTime('1h').encode();
      const b = await call(app, 'GET', '/v1/me', { token: none });
      expect(b.status).toBe(401);
      expect(b.body.code).toBe('unauthenticated');
    });

    it('rejects an expired token with 401 token_expired', async () => {
      const user = await registerUser(app, 'student');
      const expired = await new SignJWT({ role: 'student' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuer('instainstru')
        .setAudience('instainstru-api')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode('test-secret-of-at-least-32-characters!!'));
      const res = await call(app, 'GET', '/v1/me', { token: expired });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('token_expired');
    });

    it('returns the user and updates name and timezone', async () => {
      const user = await registerUser(app, 'student');
      const me = await call(app, 'GET', '/v1/me', { token: user.token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ id: user.id, email: user.email, role: 'student', timezone: 'UTC' });
      const patched = await call(app, 'PATCH', '/v1/me', { token: user.token, body: { full_name: '  Sam Student  ', timezone: 'America/New_York' } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: user.id, full_name: 'Sam Student', timezone: 'America/New_York' });
      const again = await call(app, 'GET', '/v1/me', { token: user.token });
      expect(again.body).toMatchObject({ full_name: 'Sam Student', timezone: 'America/New_York' });
    });

    it('rejects an invalid timezone, an empty patch and unknown fields', async () => {
      const user = await registerUser(app, 'student');
      const tz = await call(app, 'PATCH', '/v1/me', { token: user.token, body: { timezone: 'Europe/Nowhere' } });
      expect(tz.status).toBe(400);
      expect(tz.body.code).toBe('invalid_timezone');
      const empty = await call(app, 'PATCH', '/v1/me', { token: user.token, body: {} });
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('validation_error');
      const role = await call(app, 'PATCH', '/v1/me', { token: user.token, body: { role: 'admin' } });
      expect(role.status).toBe(400);
      expect(role.body.code).toBe('validation_error');
      expect((await call(app, 'GET', '/v1/me', { token: user.token })).body.role).toBe('student');
    });
  });
});
