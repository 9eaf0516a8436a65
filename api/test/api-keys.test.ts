import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

const SITE = 'https://music-school.example.com';

describe('api keys', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const createKey = (token: string, body: Record<string, unknown>) => call(app, 'POST', '/v1/me/api-keys', { token, body });

  describe('secret keys', () => {
    it('creates a key shown once, usable as its owner, listed without the secret', async () => {
      const user = await registerUser(app, 'instructor');
      const created = await createKey(user.token, { name: 'Nightly script' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Nightly script', type: 'secret', allowed_origins: [], last_used_at: null });
      expect(created.body.secret).toMatch(/^ii_live_[A-Za-z0-9_-]{20,}$/);
      expect(created.body.secret.startsWith(created.body.prefix)).toBe(true);

      const me = await call(app, 'GET', '/v1/me', { token: created.body.secret });
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(user.id);
      // A secret key acts as its owner everywhere, role included.
      expect((await call(app, 'GET', '/v1/me/instructor-profile', { token: created.body.secret })).status).toBe(200);

      const list = await call(app, 'GET', '/v1/me/api-keys', { token: user.token });
      expect(list.status).toBe(200);
      expect(list.body.next_cursor).toBeNull();
      expect(list.body.data).toHaveLength(1);
      const [key] = list.body.data;
      expect(key).toMatchObject({ id: created.body.id, name: 'Nightly script', type: 'secret', prefix: created.body.prefix });
      expect(key).not.toHaveProperty('secret');
      expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
    });

    it('records last_used_at when the key is used', async () => {
      const user = await registerUser(app, 'student');
      const created = await createKey(user.token, { name: 'used' });
      await call(app, 'GET', '/v1/me', { token: created.body.secret });
      let lastUsed: string | null = null;
      // Use is recorded in the background; give it a moment.
      for (let i = 0; i < 50 && !lastUsed; i++) {
        const list = await call(app, 'GET', '/v1/me/api-keys', { token: user.token });
        lastUsed = list.body.data[0].last_used_at;
        if (!lastUsed) await new Promise((r) => setTimeout(r, 20));
      }
      expect(lastUsed).toBe(app.clock.now().toISOString());
    });

    it('revokes a key (204); the key then gets 401 and leaves the list', async () => {
      const user = await registerUser(app, 'student');
      const created = await createKey(user.token, { name: 'to revoke' });
      const revoked = await call(app, 'DELETE', `/v1/me/api-keys/${created.body.id}`, { token: user.token });
      expect(revoked.status).toBe(204);
      const me = await call(app, 'GET', '/v1/me', { token: created.body.secret });
      expect(me.status).toBe(401);
      expect(me.body.code).toBe('unauthenticated');
      expect((await call(app, 'GET', '/v1/me/api-keys', { token: user.token })).body.data).toEqual([]);
      const twice = await call(app, 'DELETE', `/v1/me/api-keys/${created.body.id}`, { token: user.token });
      expect(twice.status).toBe(404);
      expect(twice.body.code).toBe('not_found');
    });

    it("another user cannot revoke or see someone's key (404)", async () => {
      const owner = await registerUser(app, 'student');
      const other = await registerUser(app, 'student');
      const created = await createKey(owner.token, { name: 'mine' });
      const res = await call(app, 'DELETE', `/v1/me/api-keys/${created.body.id}`, { token: other.token });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect((await call(app, 'GET', '/v1/me/api-keys', { token: other.token })).body.data).toEqual([]);
      expect((await call(app, 'GET', '/v1/me', { token: created.body.secret })).status).toBe(200);
    });

    it('rejects an unknown key and an unknown key id', async () => {
      const user = await registerUser(app, 'student');
      const res = await call(app, 'GET', '/v1/me', { token: 'ii_live_thisKeyDoesNotExistAtAll0000000000' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
      const missing = await call(app, 'DELETE', '/v1/me/api-keys/00000000-0000-4000-8000-000000000000', { token: user.token });
      expect(missing.status).toBe(404);
      const badId = await call(app, 'DELETE', '/v1/me/api-keys/not-a-uuid', { token: user.token });
      expect(badId.status).toBe(400);
      expect(badId.body.code).toBe('validation_error');
    });

    it('needs credentials and validates the body', async () => {
      expect((await call(app, 'GET', '/v1/me/api-keys')).status).toBe(401);
      const user = await registerUser(app, 'student');
      const noName = await createKey(user.token, {});
      expect(noName.status).toBe(400);
      expect(noName.body.code).toBe('validation_error');
      const badType = await createKey(user.token, { name: 'x', type: 'root' });
      expect(badType.status).toBe(400);
      expect(badType.body.code).toBe('validation_error');
    });

    it('paginates the list with a cursor', async () => {
      const user = await registerUser(app, 'student');
      const ids: string[] = [];
      for (const name of ['k1', 'k2', 'k3']) ids.push((await createKey(user.token, { name })).body.id);
      const page1 = await call(app, 'GET', '/v1/me/api-keys?limit=2', { token: user.token });
      expect(page1.body.data).toHaveLength(2);
      expect(page1.body.next_cursor).toEqual(expect.any(String));
      const page2 = await call(app, 'GET', `/v1/me/api-keys?limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}`, { token: user.token });
      expect(page2.body.data).toHaveLength(1);
      expect(page2.body.next_cursor).toBeNull();
      const seen = [...page1.body.data, ...page2.body.data].map((k: { id: string }) => k.id);
      expect(seen.sort()).toEqual([...ids].sort());
    });
  });

  describe('managing keys takes a signed-in session', () => {
    it('a secret key cannot create, list or revoke keys (403 forbidden), its own included', async () => {
      const user = await registerUser(app, 'instructor');
      const key = (await createKey(user.token, { name: 'script' })).body;
      const other = (await createKey(user.token, { name: 'other' })).body;
      const created = await createKey(key.secret, { name: 'minted by a key' });
      expect([created.status, created.body.code]).toEqual([403, 'forbidden']);
      const listed = await call(app, 'GET', '/v1/me/api-keys', { token: key.secret });
      expect([listed.status, listed.body.code]).toEqual([403, 'forbidden']);
      for (const id of [other.id, key.id]) {
        const revoked = await call(app, 'DELETE', `/v1/me/api-keys/${id}`, { token: key.secret });
        expect([revoked.status, revoked.body.code]).toEqual([403, 'forbidden']);
      }
      // Nothing happened: both keys are still there and working, and no third key exists.
      const list = await call(app, 'GET', '/v1/me/api-keys', { token: user.token });
      expect(list.body.data.map((k: { id: string }) => k.id).sort()).toEqual([key.id, other.id].sort());
      expect((await call(app, 'GET', '/v1/me', { token: other.secret })).status).toBe(200);
    });

    it('a publishable key cannot manage keys either', async () => {
      const user = await registerUser(app, 'instructor');
      const pk = (await createKey(user.token, { name: 'site', type: 'publishable', allowed_origins: [SITE] })).body;
      const res = await call(app, 'GET', '/v1/me/api-keys', { token: pk.secret, headers: { origin: SITE } });
      expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
    });

    it('revoking is final: a new session or a password change does not bring a key back', async () => {
      const user = await registerUser(app, 'student');
      const key = (await createKey(user.token, { name: 'gone' })).body;
      expect((await call(app, 'DELETE', `/v1/me/api-keys/${key.id}`, { token: user.token })).status).toBe(204);
      const changed = await call(app, 'POST', '/v1/me/password', { token: user.token, body: { current_password: 'a-long-password-1', new_password: 'a-much-better-passphrase' } });
      expect(changed.status).toBe(200);
      const session = changed.body.access_token;
      expect((await call(app, 'GET', '/v1/me', { token: key.secret })).body.code).toBe('unauthenticated');
      expect((await call(app, 'DELETE', `/v1/me/api-keys/${key.id}`, { token: session })).status).toBe(404);
      expect((await call(app, 'GET', '/v1/me/api-keys', { token: session })).body.data).toEqual([]);
    });
  });

  describe('publishable keys', () => {
    let instructorId: string;
    beforeAll(async () => {
      instructorId = (await publishedInstructor(app)).id;
    });

    it('require allowed origins (400 validation_error)', async () => {
      const user = await registerUser(app, 'student');
      const none = await createKey(user.token, { name: 'widget', type: 'publishable' });
      expect(none.status).toBe(400);
      expect(none.body.code).toBe('validation_error');
      expect(none.body.errors[0].path).toBe('/body/allowed_origins');
      const empty = await createKey(user.token, { name: 'widget', type: 'publishable', allowed_origins: [] });
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('validation_error');
      const withPath = await createKey(user.token, { name: 'widget', type: 'publishable', allowed_origins: ['https://example.com/page'] });
      expect(withPath.status).toBe(400);
      expect(withPath.body.code).toBe('validation_error');
    });

    it('start with pk_live_, work on public reads from an allowed origin only', async () => {
      const user = await registerUser(app, 'instructor');
      const created = await createKey(user.token, { name: 'widget', type: 'publishable', allowed_origins: [SITE] });
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^pk_live_/);
      expect(created.body).toMatchObject({ type: 'publishable', allowed_origins: [SITE] });
      const pk = created.body.secret as string;

      const ok = await call(app, 'GET', '/v1/instructors', { token: pk, headers: { origin: SITE } });
      expect(ok.status).toBe(200);
      expect(ok.body.data.map((i: { id: string }) => i.id)).toContain(instructorId);
      const detail = await call(app, 'GET', `/v1/instructors/${instructorId}`, { token: pk, headers: { origin: SITE } });
      expect(detail.status).toBe(200);

      const wrong = await call(app, 'GET', '/v1/instructors', { token: pk, headers: { origin: 'https://evil.example.com' } });
      expect(wrong.status).toBe(403);
      expect(wrong.body.code).toBe('origin_not_allowed');
      const missing = await call(app, 'GET', '/v1/instructors', { token: pk });
      expect(missing.status).toBe(403);
      expect(missing.body.code).toBe('origin_not_allowed');

      const me = await call(app, 'GET', '/v1/me', { token: pk, headers: { origin: SITE } });
      expect(me.status).toBe(403);
      expect(me.body.code).toBe('forbidden');
      const keys = await call(app, 'POST', '/v1/me/api-keys', { token: pk, headers: { origin: SITE }, body: { name: 'escalate' } });
      expect(keys.status).toBe(403);
      expect(keys.body.code).toBe('forbidden');
    });
  });
});
