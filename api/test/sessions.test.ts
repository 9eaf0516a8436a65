import { SignJWT, decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerUser, startTestApp, type TestApp } from './harness.js';

const SECRET = new TextEncoder().encode('test-secret-of-at-least-32-characters!!');
const PASSWORD = 'a-long-password-1';

describe('sessions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const login = (email: string, password = PASSWORD) => call(app, 'POST', '/v1/auth/login', { body: { email, password } });
  const refresh = (refresh_token: string) => call(app, 'POST', '/v1/auth/refresh', { body: { refresh_token } });
  const me = (token: string) => call(app, 'GET', '/v1/me', { token });

  it('register and login return a 15-minute access token and a 30-day refresh token', async () => {
    const email = `s-${Date.now()}@example.com`;
    const reg = await call(app, 'POST', '/v1/auth/register', { body: { email, password: PASSWORD, full_name: 'Sam', role: 'student' } });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, refresh_expires_in: 2_592_000 });
    expect(reg.body.refresh_token).toMatch(/^rt_[A-Za-z0-9_-]{40,}$/);
    const claims = decodeJwt(reg.body.access_token);
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims).not.toHaveProperty('role');
    const li = await login(email);
    expect(li.status).toBe(200);
    expect(li.body).toMatchObject({ expires_in: 900, refresh_expires_in: 2_592_000, user: { email } });
    expect(li.body.refresh_token).not.toBe(reg.body.refresh_token);
  });

  it('rotates the refresh token; reusing a rotated one revokes the whole family but no other session', async () => {
    const user = await registerUser(app, 'student');
    const first = (await login(user.email)).body;
    const other = (await login(user.email)).body;

    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, refresh_expires_in: 2_592_000, user: { id: user.id } });
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await me(second.body.access_token)).status).toBe(200);

    // The rotated token again: refused, and the token it was rotated into dies with it.
    const reuse = await refresh(first.refresh_token);
    expect([reuse.status, reuse.body.code]).toEqual([401, 'invalid_refresh_token']);
    const afterReuse = await refresh(second.body.refresh_token);
    expect([afterReuse.status, afterReuse.body.code]).toEqual([401, 'invalid_refresh_token']);

    // Another sign-in of the same user is another family.
    expect((await refresh(other.refresh_token)).status).toBe(200);
  });

  it('lets exactly one of two concurrent refreshes with one token win, and then revokes the family', async () => {
    const user = await registerUser(app, 'student');
    const session = (await login(user.email)).body;
    const results = await Promise.all([refresh(session.refresh_token), refresh(session.refresh_token)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.status === 200)!;
    // The loser was a reuse: the winner's new token is revoked with its family.
    expect((await refresh(winner.body.refresh_token)).status).toBe(401);
  });

  it('refreshes and logs out whatever Authorization header comes along (an expired access token, junk)', async () => {
    const user = await registerUser(app, 'student');
    const session = (await login(user.email)).body;
    const expired = await new SignJWT({ ver: 0 }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.id).setIssuer('instainstru').setAudience('instainstru-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 1000).setExpirationTime(Math.floor(Date.now() / 1000) - 100).sign(SECRET);
    expect((await me(expired)).body.code).toBe('token_expired');
    const renewed = await call(app, 'POST', '/v1/auth/refresh', { token: expired, body: { refresh_token: session.refresh_token } });
    expect(renewed.status).toBe(200);
    const out = await call(app, 'POST', '/v1/auth/logout', { headers: { authorization: 'Bearer junk' }, body: { refresh_token: renewed.body.refresh_token } });
    expect(out.status).toBe(204);
  });

  it('refuses unknown and expired refresh tokens with 401 invalid_refresh_token', async () => {
    const unknown = await refresh('rt_not-a-token-we-ever-issued');
    expect([unknown.status, unknown.body.code]).toEqual([401, 'invalid_refresh_token']);
    const user = await registerUser(app, 'student');
    const session = (await login(user.email)).body;
    const start = app.clock.now();
    app.clock.advance(30 * 24 * 3600_000 + 1000);
    try {
      const expired = await refresh(session.refresh_token);
      expect([expired.status, expired.body.code]).toEqual([401, 'invalid_refresh_token']);
    } finally {
      app.clock.set(start);
    }
  });

  it('deletes refresh tokens a day after they expire (rotated ones included), and no live one', async () => {
    const old = await registerUser(app, 'student');
    const first = (await login(old.email)).body;
    expect((await refresh(first.refresh_token)).status).toBe(200); // leaves a rotated row behind
    const tokensOf = (user_id: string) => app.db.models.RefreshToken.count({ where: { user_id } });
    expect(await tokensOf(old.id)).toBeGreaterThanOrEqual(3);
    await app.services.jobs.runDue(); // the running API's first pass schedules the recurring prune
    const start = app.clock.now();
    app.clock.advance(31 * 24 * 3600_000 + 1000);
    try {
      const fresh = await registerUser(app, 'student');
      await login(fresh.email);
      await app.services.jobs.runDue();
      expect(await tokensOf(old.id)).toBe(0);
      expect(await tokensOf(fresh.id)).toBeGreaterThan(0);
    } finally {
      app.clock.set(start);
    }
  });

  it('logout ends that session only, and answers 204 for unknown or already revoked tokens', async () => {
    const user = await registerUser(app, 'student');
    const a = (await login(user.email)).body;
    const b = (await login(user.email)).body;
    const out = await call(app, 'POST', '/v1/auth/logout', { body: { refresh_token: a.refresh_token } });
    expect(out.status).toBe(204);
    expect((await refresh(a.refresh_token)).body.code).toBe('invalid_refresh_token');
    expect((await refresh(b.refresh_token)).status).toBe(200);
    expect((await call(app, 'POST', '/v1/auth/logout', { body: { refresh_token: a.refresh_token } })).status).toBe(204);
    expect((await call(app, 'POST', '/v1/auth/logout', { body: { refresh_token: 'rt_unknown' } })).status).toBe(204);
  });

  it('logout of a rotated-away token still ends the family', async () => {
    const user = await registerUser(app, 'student');
    const a = (await login(user.email)).body;
    const rotated = (await refresh(a.refresh_token)).body;
    expect((await call(app, 'POST', '/v1/auth/logout', { body: { refresh_token: a.refresh_token } })).status).toBe(204);
    expect((await refresh(rotated.refresh_token)).status).toBe(401);
  });

  describe('POST /v1/me/password', () => {
    const change = (token: string, current_password: string, new_password: string) =>
      call(app, 'POST', '/v1/me/password', { token, body: { current_password, new_password } });

    it('ends every session and every access token issued before, and returns a fresh session', async () => {
      const user = await registerUser(app, 'student');
      const laptop = (await login(user.email)).body;
      const phone = (await login(user.email)).body;
      const res = await change(laptop.access_token, PASSWORD, 'a-much-better-passphrase');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, refresh_expires_in: 2_592_000, user: { id: user.id } });

      for (const old of [user.token, laptop.access_token, phone.access_token]) {
        const r = await me(old);
        expect([r.status, r.body.code]).toEqual([401, 'unauthenticated']);
      }
      for (const old of [laptop.refresh_token, phone.refresh_token]) {
        expect((await refresh(old)).body.code).toBe('invalid_refresh_token');
      }
      expect((await me(res.body.access_token)).status).toBe(200);
      expect((await refresh(res.body.refresh_token)).status).toBe(200);
      expect((await login(user.email)).body.code).toBe('invalid_credentials');
      expect((await login(user.email, 'a-much-better-passphrase')).status).toBe(200);
    });

    it('refuses a wrong current password (401 invalid_credentials) and a weak new one (422 weak_password)', async () => {
      const user = await registerUser(app, 'student');
      const wrong = await change(user.token, 'not-the-password', 'a-much-better-passphrase');
      expect([wrong.status, wrong.body.code]).toEqual([401, 'invalid_credentials']);
      const common = await change(user.token, PASSWORD, 'qwertyuiop123');
      expect([common.status, common.body.code]).toEqual([422, 'weak_password']);
      expect(common.body.errors).toEqual([{ path: '/body/new_password', message: 'is too common' }]);
      // Nothing changed: the token still works.
      expect((await me(user.token)).status).toBe(200);
    });

    it('is refused to API keys (403 forbidden)', async () => {
      const user = await registerUser(app, 'student');
      const key = (await call(app, 'POST', '/v1/me/api-keys', { token: user.token, body: { name: 'script' } })).body.secret;
      const res = await change(key, PASSWORD, 'a-much-better-passphrase');
      expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
    });
  });

  describe('access tokens', () => {
    const sign = (claims: Record<string, unknown>, sub: string, exp?: number) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuer('instainstru').setAudience('instainstru-api').setIssuedAt();
      if (exp !== undefined) jwt.setExpirationTime(exp);
      return jwt.sign(SECRET);
    };

    it('refuses a token without exp', async () => {
      const user = await registerUser(app, 'student');
      const res = await me(await sign({ ver: 0 }, user.id));
      expect([res.status, res.body.code]).toEqual([401, 'unauthenticated']);
    });

    it('takes the role from the database, never from the token', async () => {
      const user = await registerUser(app, 'student');
      // A correctly signed token that claims to be an admin still acts as the student it names.
      const token = await sign({ ver: 0, role: 'admin' }, user.id, Math.floor(Date.now() / 1000) + 600);
      expect((await me(token)).body.role).toBe('student');
      expect((await call(app, 'GET', '/v1/me/instructor-profile', { token })).body.code).toBe('forbidden');
      // A role changed in the database applies to tokens already issued, once the change is announced.
      await app.db.models.User.update({ role: 'instructor' }, { where: { id: user.id } });
      await app.services.userStates.changed(user.id);
      expect((await me(user.token)).body.role).toBe('instructor');
    });

    it('refuses tokens of an account that no longer exists', async () => {
      const user = await registerUser(app, 'student', { card: false });
      await app.db.models.RefreshToken.destroy({ where: { user_id: user.id } });
      await app.db.models.User.destroy({ where: { id: user.id } });
      await app.services.userStates.changed(user.id);
      const res = await me(user.token);
      expect([res.status, res.body.code]).toEqual([401, 'unauthenticated']);
    });
  });
});
