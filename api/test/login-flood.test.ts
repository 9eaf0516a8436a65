import { request, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHashConcurrency } from '../src/platform/passwords.js';
import { call, registerUser, startTestApp, type TestApp } from './harness.js';

const FLOOD = 300;
const SAMPLES = 200;

/** One failed login on its own connection; resolves with the status code. */
function failedLogin(url: string, agent: Agent, i: number): Promise<{ status: number; code: string }> {
  const body = JSON.stringify({ email: `nobody-${i}@example.com`, password: `wrong-password-${i}` });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/auth/login`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { code: string }).code }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('password hashing under a login flood', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The production default (the harness lets other tests hash 4 at a time, to set up users faster).
    app = await startTestApp({ env: { PASSWORD_HASH_CONCURRENCY: String(defaultHashConcurrency()) } });
  });
  afterAll(async () => app.close());

  it(`keeps GET /v1/me p99 under 100 ms while ${FLOOD} failed logins are in flight`, async () => {
    const user = await registerUser(app, 'student');
    // Warm up: connection, caches, the dummy hash for unknown accounts.
    for (let i = 0; i < 5; i++) expect((await call(app, 'GET', '/v1/me', { token: user.token })).status).toBe(200);
    await call(app, 'POST', '/v1/auth/login', { body: { email: 'warm-up@example.com', password: 'wrong-password-0' } });

    // The same series without the flood: tells a machine slowed by other processes from a starved API.
    const baseline: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      await call(app, 'GET', '/v1/me', { token: user.token });
      baseline.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, 5));
    }
    baseline.sort((a, b) => a - b);

    const agent = new Agent({ maxSockets: FLOOD });
    const answers: { status: number; code: string }[] = [];
    for (let i = 0; i < FLOOD; i++) void failedLogin(app.url, agent, i).then((r) => answers.push(r), () => undefined);
    // Wait until the whole flood has arrived and queues for hashing (the queue stops growing),
    // so that every sample is taken under it.
    const deadline = Date.now() + 20_000;
    let peak = 0;
    let stableSince = Date.now();
    while (Date.now() < deadline && (peak < FLOOD / 2 || Date.now() - stableSince < 200)) {
      await new Promise((r) => setTimeout(r, 10));
      const pending = app.services.hasher.pending();
      if (pending > peak) {
        peak = pending;
        stableSince = Date.now();
      }
    }
    expect(peak).toBeGreaterThanOrEqual(FLOOD / 2);

    const latencies: number[] = [];
    let underFlood = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      const res = await call(app, 'GET', '/v1/me', { token: user.token });
      latencies.push(performance.now() - start);
      expect(res.status).toBe(200);
      if (app.services.hasher.pending() > 0) underFlood++;
      await new Promise((r) => setTimeout(r, 5));
    }
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.ceil(SAMPLES * 0.99) - 1]!;
    // Every sample ran while logins were still queued for hashing: the flood was really on.
    expect(underFlood).toBe(SAMPLES);
    const baselineP99 = baseline[Math.ceil(baseline.length * 0.99) - 1]!;
    const summary = `p99 ${p99.toFixed(1)} ms, median ${latencies[SAMPLES / 2]!.toFixed(1)} ms, slowest ${latencies.slice(-5).map((l) => l.toFixed(0)).join(', ')} ms, peak queue ${peak}; without the flood p99 ${baselineP99.toFixed(1)} ms`;
    // The bar is 100 ms. A shared machine that is already slower than half of it without the flood
    // (other processes on the 2 cores) cannot show that; there the flood may at most double the p99,
    // as the quality bars compare timings on shared machines against a baseline of the same run.
    expect(p99, summary).toBeLessThan(Math.max(100, 2 * baselineP99));

    // The flood is answered properly. The test waits for the first few answers only, so that it
    // stays bounded in time on a busy machine (closing the app drops the rest of the queue).
    const deadlineAnswers = Date.now() + 30_000;
    while (answers.length < 3 && Date.now() < deadlineAnswers) await new Promise((r) => setTimeout(r, 20));
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers.every((r) => r.status === 401 && r.code === 'invalid_credentials')).toBe(true);
    agent.destroy();
  }, 120_000);
});
