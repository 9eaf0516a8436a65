import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../api/test/harness.js';
import { createClient, InstaInstruError } from '../src/index.js';
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

  it('checks health and readiness', async () => {
    const client = createClient({ baseUrl: app.url });
    expect(await client.health.check()).toEqual({ status: 'ok' });
    expect(await client.health.ready()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
  });
});
