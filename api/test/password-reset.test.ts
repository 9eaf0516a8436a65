import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerUser, startTestApp, type TestApp } from './harness.js';

const OLD_PASSWORD = 'a-long-password-1';

describe('password reset', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  /** Every reset token mailed to the address so far (read from the .eml files in the outbox). */
  async function tokensFor(email: string): Promise<string[]> {
    // Reset mail is delivered from the outbox after the request is answered.
    await app.services.outbox.flush();
    if (!existsSync(app.outboxDir)) return [];
    const found: string[] = [];
    for (const file of readdirSync(app.outboxDir).filter((f) => f.endsWith('.eml')).sort()) {
      const mail = await simpleParser(readFileSync(path.join(app.outboxDir, file)));
      const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : (mail.to?.value ?? []);
      if (!to.some((a) => a.address === email)) continue;
      const match = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
      if (match?.[1]) found.push(match[1]);
    }
    return found;
  }

  const request = (email: string) => call(app, 'POST', '/v1/auth/password-reset/request', { body: { email } });
  const confirm = (token: string, password: string) => call(app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, password } });
  const login = (email: string, password: string) => call(app, 'POST', '/v1/auth/login', { body: { email, password } });

  it('answers 202 with the same body for an existing and an unknown email, and mails only the existing one', async () => {
    const user = await registerUser(app, 'student');
    const known = await request(user.email);
    const unknown = await request('nobody-at-all@example.com');
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(typeof known.body.message).toBe('string');
    expect(await tokensFor(user.email)).toHaveLength(1);
    expect(await tokensFor('nobody-at-all@example.com')).toHaveLength(0);
  });

  it('finds the account by a differently cased email', async () => {
    const user = await registerUser(app, 'student');
    expect((await request(user.email.toUpperCase())).status).toBe(202);
    expect(await tokensFor(user.email)).toHaveLength(1);
  });

  it('sets the new password with the mailed token; the token is single use', async () => {
    const user = await registerUser(app, 'student');
    await request(user.email);
    const [token] = await tokensFor(user.email);
    expect(token).toBeDefined();
    const res = await confirm(token as string, 'brand-new-password-2');
    expect(res.status).toBe(200);
    expect(typeof res.body.message).toBe('string');
    expect((await login(user.email, 'brand-new-password-2')).status).toBe(200);
    const old = await login(user.email, OLD_PASSWORD);
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('invalid_credentials');
    const again = await confirm(token as string, 'yet-another-password-3');
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('invalid_reset_token');
    expect((await login(user.email, 'brand-new-password-2')).status).toBe(200);
  });

  it('confirming with the second of two tokens invalidates the first', async () => {
    const user = await registerUser(app, 'student');
    await request(user.email);
    const [first] = (await tokensFor(user.email)) as [string];
    await request(user.email);
    const tokens = await tokensFor(user.email);
    expect(tokens).toHaveLength(2);
    const second = tokens.find((t) => t !== first) as string;
    expect(second).toBeDefined();
    expect((await confirm(second, 'second-token-password')).status).toBe(200);
    const res = await confirm(first, 'first-token-password');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_reset_token');
    expect((await login(user.email, 'second-token-password')).status).toBe(200);
  });

  it('rejects an expired token (after 30 minutes)', async () => {
    const user = await registerUser(app, 'student');
    await request(user.email);
    const [token] = await tokensFor(user.email);
    app.clock.advance(31 * 60_000);
    try {
      const res = await confirm(token as string, 'too-late-password-1');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_reset_token');
      expect((await login(user.email, OLD_PASSWORD)).status).toBe(200);
    } finally {
      app.clock.advance(-31 * 60_000);
    }
  });

  it('accepts a token just before it expires', async () => {
    const user = await registerUser(app, 'student');
    await request(user.email);
    const [token] = await tokensFor(user.email);
    app.clock.advance(29 * 60_000);
    try {
      expect((await confirm(token as string, 'just-in-time-pass')).status).toBe(200);
    } finally {
      app.clock.advance(-29 * 60_000);
    }
  });

  it('rejects an unknown token and keeps a valid token when the new password is weak', async () => {
    const unknown = await confirm('this-token-was-never-issued', 'some-good-password');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('invalid_reset_token');

    const user = await registerUser(app, 'student');
    await request(user.email);
    const [token] = await tokensFor(user.email);
    const weak = await confirm(token as string, user.email);
    expect(weak.status).toBe(422);
    expect(weak.body.code).toBe('weak_password');
    const short = await confirm(token as string, 'short');
    expect(short.status).toBe(400);
    expect(short.body.code).toBe('validation_error');
    expect((await confirm(token as string, 'a-fine-password-9')).status).toBe(200);
  });

  it('validates the request body', async () => {
    const res = await call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
  });
});

describe('password reset limits and sessions', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Real limits (multiplier 1), and client IPs from X-Forwarded-For so several clients can be played.
    app = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '1', TRUST_PROXY: 'loopback', REDIS_URL: '' } });
  });
  afterAll(async () => app.close());

  const request = (email: string, ip: string) =>
    call(app, 'POST', '/v1/auth/password-reset/request', { body: { email }, headers: { 'x-forwarded-for': ip } });
  async function mailsTo(email: string): Promise<string[]> {
    await app.services.outbox.flush();
    if (!existsSync(app.outboxDir)) return [];
    const found: string[] = [];
    for (const file of readdirSync(app.outboxDir).filter((f) => f.endsWith('.eml')).sort()) {
      const mail = await simpleParser(readFileSync(path.join(app.outboxDir, file)));
      const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : (mail.to?.value ?? []);
      const match = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '');
      if (to.some((a) => a.address === email) && match?.[1]) found.push(match[1]);
    }
    return found;
  }

  it('caps mails per account across IPs, without keeping a later real request out for good', async () => {
    const user = await registerUser(app, 'student');
    // Someone else asks again and again, from one IP and then from others.
    const attacker = [];
    for (let i = 0; i < 6; i++) attacker.push((await request(user.email, '203.0.113.7')).status);
    expect(attacker).toEqual([202, 202, 202, 202, 202, 429]);
    for (let i = 0; i < 3; i++) expect((await request(user.email, `198.51.100.${i + 1}`)).status).toBe(202);
    // Only 3 mails reached the owner in the window, and each link works.
    const links = await mailsTo(user.email);
    expect(links).toHaveLength(3);
    // The owner's own request, from the owner's IP, is answered like any other (never a 429 caused by others).
    expect((await request(user.email, '192.0.2.44')).status).toBe(202);
    expect(await mailsTo(user.email)).toHaveLength(3);
    // Once the window has passed, the owner's request gets a fresh link, and it works.
    app.clock.advance(16 * 60_000);
    try {
      expect((await request(user.email, '192.0.2.44')).status).toBe(202);
      const after = await mailsTo(user.email);
      expect(after).toHaveLength(4);
      const fresh = after.find((t) => !links.includes(t))!;
      const confirmed = await call(app, 'POST', '/v1/auth/password-reset/confirm', { body: { token: fresh, password: 'a-much-better-passphrase' } });
      expect(confirmed.status).toBe(200);
    } finally {
      app.clock.advance(-16 * 60_000);
    }
  });

  it('ends every session and access token issued before the reset', async () => {
    const user = await registerUser(app, 'student');
    const session = (await call(app, 'POST', '/v1/auth/login', { body: { email: user.email, password: OLD_PASSWORD } })).body;
    expect((await request(user.email, '192.0.2.80')).status).toBe(202);
    const [token] = await mailsTo(user.email);
    expect((await call(app, 'POST', '/v1/auth/password-reset/confirm', { body: { token, password: 'a-much-better-passphrase' } })).status).toBe(200);
    for (const old of [user.token, session.access_token]) {
      const me = await call(app, 'GET', '/v1/me', { token: old });
      expect([me.status, me.body.code]).toEqual([401, 'unauthenticated']);
    }
    const refreshed = await call(app, 'POST', '/v1/auth/refresh', { body: { refresh_token: session.refresh_token } });
    expect([refreshed.status, refreshed.body.code]).toEqual([401, 'invalid_refresh_token']);
  });
});
