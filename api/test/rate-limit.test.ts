import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freePort, startTestApp, type TestApp } from './harness.js';

const SHARED_REDIS = 'redis://127.0.0.1:6379/6';

describe('rate limits (in process)', () => {
  let app: TestApp;
  beforeAll(async () => {
    // 300/min anonymous x 0.01 = 3 per minute; 10 failed logins x 0.2 = 2.
    app = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '0.01', REDIS_URL: '' } });
  });
  afterAll(async () => app.close());

  it('limits anonymous traffic per IP with IETF headers and a rate_limited problem', async () => {
    const ok = await call(app, 'GET', '/v1/instructors');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-policy')).toMatch(/"anonymous"; q=3; w=60/);
    expect(ok.headers.get('ratelimit')).toMatch(/"anonymous"; r=2; t=\d+/);
    await call(app, 'GET', '/v1/instructors');
    await call(app, 'GET', '/healthz');
    const limited = await call(app, 'GET', '/v1/instructors');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('login limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '0.2', REDIS_URL: '' } });
    await app.services.accounts.register({ email: 'victim@example.com', password: 'the-right-password', full_name: 'V', role: 'student' });
    await app.services.accounts.register({ email: 'other@example.com', password: 'the-right-password', full_name: 'O', role: 'student' });
  });
  afterAll(async () => app.close());

  it('blocks an account on one IP after the failed attempts, but not other accounts', async () => {
    // Authenticated requests are not anonymous traffic; login is counted by its own limits.
    for (let i = 0; i < 2; i++) {
      const bad = await call(app, 'POST', '/v1/auth/login', { body: { email: 'victim@example.com', password: 'wrong-password-x' } });
      expect(bad.status).toBe(401);
    }
    const blocked = await call(app, 'POST', '/v1/auth/login', { body: { email: 'victim@example.com', password: 'the-right-password' } });
    expect([blocked.status, blocked.body.code]).toEqual([429, 'rate_limited']);
    const other = await call(app, 'POST', '/v1/auth/login', { body: { email: 'other@example.com', password: 'the-right-password' } });
    expect(other.status).toBe(200);
  });
});

describe('failed logins per account across IPs', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Real limits; client IPs from X-Forwarded-For, so one test plays many attackers and the owner.
    app = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '1', TRUST_PROXY: 'loopback', REDIS_URL: '' } });
    await app.services.accounts.register({ email: 'target@example.com', password: 'the-right-password', full_name: 'T', role: 'student' });
    await app.services.accounts.register({ email: 'bystander@example.com', password: 'the-right-password', full_name: 'B', role: 'student' });
  });
  afterAll(async () => app.close());

  const timedLogin = async (email: string, password: string, ip: string) => {
    const start = performance.now();
    const res = await call(app, 'POST', '/v1/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': ip } });
    return { status: res.status, code: res.body?.code as string | undefined, ms: performance.now() - start };
  };

  it('slows further attempts down progressively instead of locking the owner out', async () => {
    // 8 attackers, one failure each: no per account+IP limit is reached, the per-account one is.
    const attempts = [];
    for (let i = 1; i <= 8; i++) attempts.push(await timedLogin('target@example.com', 'wrong-password-x', `203.0.113.${i}`));
    expect(attempts.every((a) => a.status === 401 && a.code === 'invalid_credentials')).toBe(true);
    // The first 5 are not delayed; then 0.5 s more for each (6th 0.5 s, 7th 1 s, 8th 1.5 s).
    // Compared with undelayed logins measured alongside, so that a slow machine's hashing time cancels out.
    expect(attempts[7]!.ms - attempts[0]!.ms).toBeGreaterThanOrEqual(1_000);
    // The owner, from home, with the right password: slowed (by 2 s), but let in, never a 429.
    const owner = await timedLogin('target@example.com', 'the-right-password', '192.0.2.10');
    expect(owner.status).toBe(200);
    // Other accounts are not slowed down.
    const bystander = await timedLogin('bystander@example.com', 'the-right-password', '203.0.113.1');
    expect(bystander.status).toBe(200);
    expect(owner.ms - bystander.ms).toBeGreaterThanOrEqual(1_500);
  }, 60_000);
});

describe('rate limits shared through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const keyPrefix = `ii:rltest:${randomBytes(4).toString('hex')}:`;
    // Two instances of one deployment: same Redis, same key prefix; 300 x 0.02 = 6 per minute in total.
    a = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '0.02', REDIS_URL: SHARED_REDIS }, shared: { keyPrefix } });
    b = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '0.02', REDIS_URL: SHARED_REDIS }, shared: { keyPrefix } });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('admits exactly the limit across two instances', async () => {
    await expect.poll(() => [a.shared.redis?.status, b.shared.redis?.status], { timeout: 15_000 }).toEqual(['ready', 'ready']);
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await call(i % 2 ? a : b, 'GET', '/healthz'));
    expect(results.filter((r) => r.status === 200)).toHaveLength(6);
    const rejected = results.filter((r) => r.status === 429);
    expect(rejected).toHaveLength(4);
    expect(rejected.every((r) => Number(r.headers.get('retry-after')) > 0)).toBe(true);
  });
});

describe('Redis outage', () => {
  let redis: ChildProcess;
  const spawned: ChildProcess[] = [];
  let app: TestApp;
  let port: number;
  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    spawned.push(redis);
    await new Promise((r) => setTimeout(r, 300));
  };
  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    app = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    await new Promise((r) => setTimeout(r, 200));
  });
  afterAll(async () => {
    await app.close();
    for (const child of spawned) child.kill('SIGKILL');
  });

  it('keeps answering quickly while Redis is down, reports it in /readyz, and recovers', async () => {
    expect((await call(app, 'GET', '/readyz')).body.checks.redis).toBe('ok');
    redis.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 20; i++) {
      const started = Date.now();
      const res = await call(app, 'GET', '/v1/instructors');
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    const ready = await call(app, 'GET', '/readyz');
    expect([ready.status, ready.body.checks.redis]).toEqual([503, 'error']);
    await startRedis();
    await expect.poll(async () => (await call(app, 'GET', '/readyz')).body.checks.redis, { timeout: 5_000 }).toBe('ok');
  });
});

describe('refused credentials', () => {
  let app: TestApp;
  beforeAll(async () => {
    // 300 refused credentials per minute x 0.01 = 3.
    app = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '0.01', REDIS_URL: '' } });
  });
  afterAll(async () => app.close());

  it('counts 401s per IP, so guessing API keys runs into a 429 before any lookup', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await call(app, 'GET', '/v1/me', { token: `ii_live_guess${i}` });
      expect([res.status, res.body.code]).toEqual([401, 'unauthenticated']);
    }
    const limited = await call(app, 'GET', '/v1/me', { token: 'ii_live_guess-again' });
    expect([limited.status, limited.body.code]).toEqual([429, 'rate_limited']);
  });
});
