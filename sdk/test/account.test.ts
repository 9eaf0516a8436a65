import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../api/test/harness.js';
import { createClient, InstaInstruError, type SessionTokens } from '../src/index.js';
import { failure, signUp } from './helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('auth and me', () => {
  it('registers, logs in and acts as the user after setToken', async () => {
    const client = createClient({ baseUrl: app.url });
    const registered = await client.auth.register({ email: 'ada@example.com', password: 'correct-horse-battery', full_name: 'Ada Lovelace', role: 'student' });
    expect(registered.user).toMatchObject({ email: 'ada@example.com', role: 'student', timezone: 'UTC' });
    expect(registered.token_type).toBe('Bearer');

    const loggedIn = await client.auth.login({ email: 'ada@example.com', password: 'correct-horse-battery' });
    client.setToken(loggedIn.access_token);
    expect(await client.me.get()).toMatchObject({ id: registered.user.id, full_name: 'Ada Lovelace' });

    const updated = await client.me.update({ full_name: 'Ada King', timezone: 'Europe/London' });
    expect(updated).toMatchObject({ full_name: 'Ada King', timezone: 'Europe/London' });

    const dashboard = await client.me.dashboard();
    expect(dashboard.role).toBe('student');

    client.setToken(undefined);
    const error = await failure(client.me.get());
    expect(error).toBeInstanceOf(InstaInstruError);
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('throws InstaInstruError with the problem fields on a wrong password', async () => {
    const { email } = await signUp(app.url, 'student');
    const error = await failure(createClient({ baseUrl: app.url }).auth.login({ email, password: 'not-the-password' }));
    expect(error).toBeInstanceOf(InstaInstruError);
    expect(error).toMatchObject({ name: 'InstaInstruError', status: 401, code: 'invalid_credentials', errors: [], conflict: undefined });
    expect(typeof error.title).toBe('string');
    expect(error.message).toContain('invalid_credentials');
  });

  it('lists the failing fields of a validation error in `errors`', async () => {
    const error = await failure(
      createClient({ baseUrl: app.url }).auth.register({ email: 'not-an-email', password: 'a-long-password-1', full_name: 'X', role: 'student' }),
    );
    expect(error).toMatchObject({ status: 400, code: 'validation_error' });
    expect(error.errors.length).toBeGreaterThan(0);
    expect(error.errors.some((e: { path: string }) => e.path.includes('email'))).toBe(true);
  });

  it('requests a password reset and refuses an unknown reset token', async () => {
    const client = createClient({ baseUrl: app.url });
    const { email } = await signUp(app.url, 'student');
    expect((await client.auth.requestPasswordReset({ email })).message).toBeTruthy();
    const error = await failure(client.auth.confirmPasswordReset({ token: 'no-such-token-0000000000', password: 'a-much-better-passphrase' }));
    expect(error).toMatchObject({ status: 400, code: 'invalid_reset_token' });
  });

  it('keeps a session with the real API: refreshes a dead access token by itself, rotates the refresh token, logout ends it', async () => {
    const { email } = await signUp(app.url, 'student');
    const seen: SessionTokens[] = [];
    const first = createClient({ baseUrl: app.url, onTokens: (t) => seen.push(t) });
    await first.auth.login({ email, password: 'a-long-password-1' });
    const login = seen[0]!;
    expect(login.refreshToken).toMatch(/\S{20,}/);
    expect(login.accessTokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(800_000);

    // A later run: a stale access token and the stored refresh token.
    const later = createClient({ baseUrl: app.url, token: 'not-a-valid-access-token', refreshToken: login.refreshToken, onTokens: (t) => seen.push(t) });
    const [a, b] = await Promise.all([later.me.get(), later.me.get()]);
    expect(a.email).toBe(email);
    expect(b.email).toBe(email);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.refreshToken).not.toBe(login.refreshToken);

    await later.auth.logout();
    const reuse = createClient({ baseUrl: app.url, token: 'x', refreshToken: seen[1]!.refreshToken });
    expect(await failure(reuse.auth.refresh())).toMatchObject({ status: 401, code: 'invalid_refresh_token' });
  });

  it('changes the password and goes on with the new session; the old refresh token is dead', async () => {
    const { email } = await signUp(app.url, 'student');
    const client = createClient({ baseUrl: app.url });
    await client.auth.login({ email, password: 'a-long-password-1' });
    const before = client.auth.session()!;
    const answer = await client.me.changePassword({ current_password: 'a-long-password-1', new_password: 'another-long-password-2' });
    expect(client.auth.session()?.accessToken).toBe(answer.access_token);
    expect(client.auth.session()?.refreshToken).not.toBe(before.refreshToken);
    expect((await client.me.get()).email).toBe(email);
    const old = createClient({ baseUrl: app.url, token: before.accessToken, refreshToken: before.refreshToken });
    expect(await failure(old.me.get())).toMatchObject({ status: 401 });
    const wrong = await failure(client.me.changePassword({ current_password: 'not-it-at-all', new_password: 'a-third-long-password-3' }));
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials' });
    await createClient({ baseUrl: app.url }).auth.login({ email, password: 'another-long-password-2' });
  });

  it('reads and changes notification preferences, and gets and rotates the calendar feed', async () => {
    const { client } = await signUp(app.url, 'student');
    expect(await client.notifications.get()).toEqual({ reminder_minutes_before: [1440, 60], language: 'en' });
    expect(await client.notifications.update({ reminder_minutes_before: [120], language: 'de' })).toEqual({ reminder_minutes_before: [120], language: 'de' });
    expect(await client.notifications.get()).toEqual({ reminder_minutes_before: [120], language: 'de' });

    const feed = await client.calendarFeed.get();
    expect(feed.url).toMatch(/\/v1\/calendar\/[^/]+\.ics$/);
    // The URL is on the API's public origin; the test server listens on its own port.
    const here = (url: string) => fetch(`${app.url}${new URL(url).pathname}`);
    expect((await here(feed.url)).status).toBe(200);
    const rotated = await client.calendarFeed.rotate();
    expect(rotated.url).not.toBe(feed.url);
    expect((await here(feed.url)).status).toBe(404);
    expect((await here(rotated.url)).status).toBe(200);
  });

  it('checks health and readiness', async () => {
    const client = createClient({ baseUrl: app.url });
    expect(await client.health.check()).toEqual({ status: 'ok' });
    expect(await client.health.ready()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
  });
});
