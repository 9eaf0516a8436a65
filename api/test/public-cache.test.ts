import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, startTestApp, type TestApp } from './harness.js';

const DAYS = [{ date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '12:00' }] }];
const path = (id: string) => `/v1/instructors/${id}/availability?from=2026-07-06&to=2026-07-12&duration_minutes=60`;

/** Counts the SQL statements a piece of work runs. */
async function queriesDuring(app: TestApp, work: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const hook = () => {
    n++;
  };
  app.db.sequelize.addHook('beforeQuery', 'count', hook);
  try {
    await work();
  } finally {
    app.db.sequelize.removeHook('beforeQuery', 'count');
  }
  return n;
}

describe('cached public reads', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  beforeAll(async () => {
    app = await startTestApp();
    inst = await publishedInstructor(app, { days: DAYS });
  });
  afterAll(async () => app.close());

  it('answers with a strong ETag and 304 on revalidation without touching the database', async () => {
    const first = await call(app, 'GET', path(inst.id));
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    // Node's fetch adds cache-control: no-cache; freshness is decided on the ETag alone.
    for (const lane of ['slow or fast', 'fast']) {
      let res: Awaited<ReturnType<typeof call>> | undefined;
      const n = await queriesDuring(app, async () => {
        res = await call(app, 'GET', path(inst.id), { headers: { 'if-none-match': etag as string } });
      });
      expect(res?.status, lane).toBe(304);
      expect(res?.body).toBeUndefined();
      expect(n, lane).toBe(0);
    }
    const again = await call(app, 'GET', path(inst.id));
    expect([again.status, again.headers.get('etag')]).toEqual([200, etag]);
    expect(again.headers.get('ratelimit-policy')).toContain('"anonymous"');
    expect(again.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('computes concurrent misses once (single-flight)', async () => {
    const other = await publishedInstructor(app, { days: DAYS });
    const n = await queriesDuring(app, () => Promise.all(Array.from({ length: 20 }, () => call(app, 'GET', path(other.id)))));
    // One computation: profile, services, ranges, blackouts, bookings.
    expect(n).toBeLessThanOrEqual(6);
  });

  it('is fresh at once after an availability write', async () => {
    const before = await call(app, 'GET', path(inst.id));
    await call(app, 'PUT', '/v1/me/availability/2026-07-06', { token: inst.token, body: { ranges: [{ start_time: '14:00', end_time: '16:00' }] } });
    const after = await call(app, 'GET', path(inst.id), { headers: { 'if-none-match': before.headers.get('etag') as string } });
    expect(after.status).toBe(200);
    expect(after.body.days[0].ranges).toEqual([{ start_time: '14:00', end_time: '16:00' }]);
  });
});

describe('refresh ahead', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const misses = async () => {
    const text = (await call(app, 'GET', '/metrics')).body as string;
    return Number(/cache_events_total\{event="miss"\} (\d+)/.exec(text)?.[1]);
  };

  it('a write recomputes recently read answers, so the next read is a fresh hit', async () => {
    const inst = await publishedInstructor(app, { days: DAYS });
    await call(app, 'GET', path(inst.id));
    const before = await misses();
    await call(app, 'PUT', '/v1/me/availability/2026-07-06', { token: inst.token, body: { ranges: [{ start_time: '13:00', end_time: '15:00' }] } });
    const fresh = await call(app, 'GET', path(inst.id));
    expect(fresh.body.days[0].ranges).toEqual([{ start_time: '13:00', end_time: '15:00' }]);
    expect(await misses()).toBe(before);
  });
});

describe('two instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const keyPrefix = `ii:cachetest:${randomBytes(4).toString('hex')}:`;
    const env = { REDIS_URL: 'redis://127.0.0.1:6379/7' };
    a = await startTestApp({ env, shared: { keyPrefix } });
    b = await startTestApp({ env, shared: { keyPrefix }, sameDatabaseAs: a });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('sees a write made on the other instance within a second', async () => {
    await expect.poll(() => [a.shared.redis?.status, b.shared.redis?.status]).toEqual(['ready', 'ready']);
    const inst = await publishedInstructor(a, { days: DAYS });
    const cached = await call(b, 'GET', path(inst.id));
    expect(cached.body.days[0].ranges).toEqual([{ start_time: '09:00', end_time: '12:00' }]);
    await call(a, 'PUT', '/v1/me/availability/2026-07-06', { token: inst.token, body: { ranges: [{ start_time: '10:00', end_time: '11:00' }] } });
    const started = Date.now();
    await expect
      .poll(async () => (await call(b, 'GET', path(inst.id))).body.days[0].ranges, { timeout: 1_000, interval: 50 })
      .toEqual([{ start_time: '10:00', end_time: '11:00' }]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('request ids on the fast lane', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('echo a sane X-Request-Id like the full stack does, and make one otherwise', async () => {
    const inst = await publishedInstructor(app, { days: DAYS });
    await call(app, 'GET', path(inst.id)); // computed through Express; the repeats take the fast lane
    const echoed = await call(app, 'GET', path(inst.id), { headers: { 'x-request-id': 'partner-trace-42' } });
    expect(echoed.headers.get('x-request-id')).toBe('partner-trace-42');
    const made = await call(app, 'GET', path(inst.id), { headers: { 'x-request-id': 'has spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('the fast lane answers like the full stack', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('with the same headers and body as the answer Express computed, for 200 and 304, with and without an Origin', async () => {
    const inst = await publishedInstructor(app, { days: DAYS });
    const comparable = (res: Awaited<ReturnType<typeof call>>) => {
      const out: Record<string, string> = {};
      // Per-answer values: the request id, the date, the budget left (counts down) and the connection.
      res.headers.forEach((value, name) => {
        if (!['x-request-id', 'date', 'ratelimit', 'connection', 'keep-alive'].includes(name)) out[name] = value;
      });
      return out;
    };
    for (const [origin, to] of [[undefined, '2026-07-10'], ['https://partner.example.com', '2026-07-11']] as const) {
      const headers = origin ? { origin } : undefined;
      // A URL not asked before: Express computes it (a miss); its repeat takes the fast lane.
      const url = `/v1/instructors/${inst.id}/availability?from=2026-07-06&to=${to}&duration_minutes=60`;
      const full = await call(app, 'GET', url, { headers });
      const fast = await call(app, 'GET', url, { headers });
      expect(fast.status).toBe(200);
      expect(comparable(fast)).toEqual(comparable(full));
      expect(fast.headers.get('ratelimit')).toMatch(/^"anonymous"; r=\d+; t=\d+$/);
      expect(fast.body).toEqual(full.body);
      const revalidated = await call(app, 'GET', url, { headers: { ...headers, 'if-none-match': full.headers.get('etag')! } });
      expect(revalidated.status).toBe(304);
    }
  });
});
