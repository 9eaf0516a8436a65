import { describe, expect, it } from 'vitest';
import { createClient, InstaInstruError, parseRetryAfter } from '../src/index.js';
import { failure } from './helpers.js';
import { scriptedApi, type Answer, type Seen } from './scripted-api.js';

const tooMany = (retryAfter: string): Answer => ({
  status: 429,
  headers: { 'retry-after': retryAfter },
  body: { type: 'about:blank', title: 'Too Many Requests', status: 429, code: 'rate_limited', detail: 'Slow down.' },
});
const lesson = { instructor_id: '0b6f3c7e-2d1a-4f8e-9c3b-5a7d9e1f2a40', service_id: '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c62', date: '2026-07-15', start_time: '10:00', duration_minutes: 60, location_type: 'online' as const };

describe('automatic retries', () => {
  it('waits for Retry-After, retries once and reuses the same Idempotency-Key and body', async () => {
    const api = await scriptedApi((n) => (n === 1 ? tooMany('1') : { status: 201, body: { id: 'b1', status: 'confirmed' } }));
    const client = createClient({ baseUrl: api.url, token: 'student-token' });
    const started = Date.now();
    const booking = await client.bookings.create(lesson);
    expect(booking).toMatchObject({ id: 'b1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(api.seen).toHaveLength(2);
    const [first, second] = api.seen as [Seen, Seen];
    expect(first.headers['idempotency-key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(second.headers.authorization).toBe('Bearer student-token');
    expect(JSON.parse(second.body)).toEqual(lesson);
    expect(second.body).toBe(first.body);
  });

  it('uses a new key for each booking and the caller-given key when there is one', async () => {
    const api = await scriptedApi(() => ({ status: 201, body: { id: 'b' } }));
    const client = createClient({ baseUrl: api.url, token: 't' });
    await client.bookings.create(lesson);
    await client.bookings.create(lesson);
    await client.bookings.create({ ...lesson, idempotency_key: 'my-key' });
    const keys = api.seen.map((s) => s.headers['idempotency-key']);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe('my-key');
  });

  it('gives up after the configured number of retries with a rate_limited error', async () => {
    const api = await scriptedApi(() => tooMany('0'));
    const error = await failure(createClient({ baseUrl: api.url }).health.check());
    expect(api.seen).toHaveLength(3);
    expect(error).toBeInstanceOf(InstaInstruError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', detail: 'Slow down.', retryAfter: 0 });

    api.seen.length = 0;
    await failure(createClient({ baseUrl: api.url, retries: 0 }).health.check());
    expect(api.seen).toHaveLength(1);
  });

  it('does not wait longer than maxRetryWaitSeconds: a longer Retry-After is thrown at once', async () => {
    const api = await scriptedApi(() => tooMany('60'));
    const error = await failure(createClient({ baseUrl: api.url, maxRetryWaitSeconds: 10 }).health.check());
    expect(api.seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 60 });
  });

  it('retries a 503 with a short backoff but never retries the readiness probe', async () => {
    const api = await scriptedApi((n) => (n % 2 === 1 ? { status: 503, body: { status: 'error', checks: { database: 'error' } } } : { status: 200, body: { status: 'ok' } }));
    const client = createClient({ baseUrl: api.url });
    expect(await client.health.check()).toEqual({ status: 'ok' });
    expect(api.seen).toHaveLength(2);

    const notReady = await failure(client.health.ready());
    expect(api.seen).toHaveLength(3);
    expect(notReady).toMatchObject({ status: 503, code: 'service_unavailable', body: { status: 'error', checks: { database: 'error' } } });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-07-01T08:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jul 2026 08:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 01 Jul 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

});
