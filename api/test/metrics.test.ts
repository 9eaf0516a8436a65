import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';
import { isInstrumented, methodsOf } from '../src/platform/instrument.js';
import { metricsAccess, metricsRoutes } from '../src/platform/metrics-http.js';
import { createMetrics } from '../src/platform/metrics.js';
import { errorHandler } from '../src/platform/error-handler.js';

const TOKEN = 'metrics-token-of-32-characters!!';
const DAY = '2026-07-06';

/** The value of the one sample of `name` whose labels include `labels` (0 when there is none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return 0;
}

describe('GET /metrics', () => {
  let app: TestApp;
  const scrape = async () => {
    const res = await call<string>(app, 'GET', '/metrics');
    expect(res.status).toBe(200);
    return res.body;
  };
  beforeAll(async () => {
    app = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => app.close());

  it('serves Prometheus text to loopback, with request durations labelled by route template', async () => {
    const inst = await publishedInstructor(app, { days: [{ date: DAY, ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
    await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=${DAY}&to=${DAY}`);
    const res = await call<string>(app, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const route = { method: 'GET', route: '/v1/instructors/:instructor_id/availability', status: '200' };
    expect(sample(res.body, 'http_request_duration_seconds_count', route)).toBe(1);
    expect(res.body).not.toContain(inst.id);
    expect(sample(res.body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('labels requests no route answered "unmatched"', async () => {
    await call(app, 'GET', '/no/such/thing');
    expect(sample(await scrape(), 'http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
  });

  it('accepts the metrics token, which authentication would refuse as a JWT', async () => {
    const res = await call<string>(app, 'GET', '/metrics', { token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.body).toContain('# TYPE http_request_duration_seconds histogram');
  });

  it('counts a cache miss, then a hit, for two identical public availability reads', async () => {
    const inst = await publishedInstructor(app, { days: [{ date: DAY, ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
    const before = await scrape();
    for (let i = 0; i < 2; i++) expect((await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=${DAY}&to=${DAY}&duration_minutes=60`)).status).toBe(200);
    const after = await scrape();
    const delta = (event: string) => sample(after, 'cache_events_total', { event }) - sample(before, 'cache_events_total', { event });
    expect([delta('miss'), delta('hit'), delta('redis_error')]).toEqual([1, 1, 0]);
  });

  it('counts a refused booking by its problem code', async () => {
    const inst = await publishedInstructor(app, { days: [{ date: DAY, ranges: [{ start_time: '09:00', end_time: '17:00' }] }] });
    const book = async () => {
      const student = await registerUser(app, 'student');
      return call(app, 'POST', '/v1/bookings', { token: student.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: DAY, start_time: '10:00', duration_minutes: 60, location_type: 'online' } });
    };
    const before = sample(await scrape(), 'booking_conflicts_total', { code: 'instructor_conflict' });
    expect((await book()).status).toBe(201);
    expect([(await book()).body.code]).toEqual(['instructor_conflict']);
    expect(sample(await scrape(), 'booking_conflicts_total', { code: 'instructor_conflict' }) - before).toBe(1);
  });

  it('reports the database pool (PostgreSQL) or the SQLite writer queue, and Redis when configured', async () => {
    const text = await scrape();
    if (app.db.dialect === 'postgres') expect(sample(text, 'db_pool_size')).toBeGreaterThan(0);
    else expect(text).toContain('# TYPE db_writer_queue_depth gauge');
    if (app.shared.redis) expect(sample(text, 'redis_up')).toBe(1);
    else expect(text).not.toContain('redis_up');
  });

  it('times every method of every service, keeping `this` working', async () => {
    const services = Object.entries(app.services);
    expect(services.length).toBeGreaterThanOrEqual(11);
    for (const [name, service] of services) {
      const methods = [...methodsOf(service)];
      expect(methods.length, name).toBeGreaterThan(0);
      for (const [method, fn] of methods) expect(isInstrumented(fn), `${name}.${String(method)}`).toBe(true);
    }
    // updateMe answers through this.me: both calls are timed.
    const user = await registerUser(app, 'student');
    const res = await call(app, 'PATCH', '/v1/me', { token: user.token, body: { full_name: 'Ada Lovelace' } });
    expect([res.status, res.body.full_name]).toEqual([200, 'Ada Lovelace']);
    const text = await scrape();
    expect(sample(text, 'service_method_duration_seconds_count', { service: 'accounts', method: 'updateMe', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'service_method_duration_seconds_count', { service: 'accounts', method: 'me', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'service_method_duration_seconds_count', { service: 'tokens', method: 'verify', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
  });
});

describe('rate_limit_rejections_total', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_MULTIPLIER: '0.2' } });
  });
  afterAll(async () => app.close());

  it('counts each 429 by the limit that refused it', async () => {
    const reset = () => call(app, 'POST', '/v1/auth/password-reset/request', { body: { email: 'someone@example.com' } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await reset()).status);
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBeGreaterThan(0);
    const text = (await call<string>(app, 'GET', '/metrics')).body;
    expect(sample(text, 'rate_limit_rejections_total', { limit: 'resetPerEmail' })).toBe(refused);
  });
});

describe('metricsAccess', () => {
  it.each([
    ['127.0.0.1', undefined, undefined, true],
    ['::1', undefined, undefined, true],
    ['::ffff:127.0.0.1', undefined, undefined, true],
    ['203.0.113.9', undefined, TOKEN, false],
    ['203.0.113.9', `Bearer ${TOKEN}`, TOKEN, true],
    ['203.0.113.9', `bearer ${TOKEN}`, TOKEN, true],
    ['203.0.113.9', 'Bearer not-the-metrics-token', TOKEN, false],
    ['203.0.113.9', 'Bearer anything', undefined, false],
    ['::ffff:10.0.0.1', `Bearer ${TOKEN}x`, TOKEN, false],
    [undefined, undefined, undefined, false],
  ])('from %s with %s (token %s): %s', (remote, authorization, token, allowed) => {
    expect(metricsAccess(remote, authorization, token)).toBe(allowed);
  });
});

describe('GET /metrics behind a trusted proxy', () => {
  it('trusts a loopback socket only when no proxy forwarded the request', async () => {
    const app = express();
    app.set('trust proxy', true);
    app.use(metricsRoutes(createMetrics(), TOKEN));
    app.use(errorHandler(pino({ level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      // Forwarded through a proxy on this host: the socket is loopback, but only the token opens it.
      for (const spoofed of ['127.0.0.1', '203.0.113.9']) {
        const forwarded = await fetch(url, { headers: { 'x-forwarded-for': spoofed } });
        expect(forwarded.status).toBe(403);
      }
      // Every header a reverse proxy may add counts, not only X-Forwarded-For.
      const proxyHeaders = { forwarded: 'for=203.0.113.9', 'x-forwarded-host': 'api.example.com', 'x-forwarded-proto': 'https', 'x-real-ip': '203.0.113.9', via: '1.1 proxy' };
      for (const [name, value] of Object.entries(proxyHeaders)) {
        const res = await fetch(url, { headers: { [name]: value } });
        expect(res.status, name).toBe(403);
        expect(((await res.json()) as { code: string }).code).toBe('forbidden');
      }
      expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9', authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      expect((await fetch(url)).status).toBe(200);
    } finally {
      server.close();
    }
  });
});
