import { describe, expect, it, vi } from 'vitest';
import { createClient, InstaInstruConnectionError, InstaInstruError, InstaInstruTimeoutError, type RequestEvent, type ResponseEvent } from '../src/index.js';
import { createLightClient } from '../src/light.js';
import { failure } from './helpers.js';
import { deadUrl, problem, scriptedApi } from './scripted-api.js';

/** The `fetch` option's type. */
type Fetch = (request: Request) => Promise<Response>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeouts, aborts and connection failures', () => {
  it('fails a call the API accepts but never answers after `timeout`, as InstaInstruTimeoutError with the request id', async () => {
    const api = await scriptedApi(() => 'hang');
    const started = Date.now();
    const error = await failure(createClient({ baseUrl: api.url, timeout: 300 }).me.get());
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3000);
    expect(error).toBeInstanceOf(InstaInstruTimeoutError);
    expect(error).toBeInstanceOf(InstaInstruConnectionError);
    expect(error).toBeInstanceOf(InstaInstruError);
    expect(error).toMatchObject({ status: 0, code: 'timeout', detail: `No answer from ${api.url} within 0.3 s`, method: 'GET', url: `${api.url}/v1/me` });
    expect(error.requestId).toMatch(UUID);
    expect(api.seen[0]!.headers['x-request-id']).toBe(error.requestId);
  });

  it.each([
    ['createClient', (fetch: Fetch) => createClient({ baseUrl: 'http://api.test', fetch }).health.check()],
    ['createLightClient', (fetch: Fetch) => createLightClient({ baseUrl: 'http://api.test', fetch }).instructors.get({ instructor_id: 'i1' })],
  ])('%s waits 30 s by default for an answer that never comes, then throws InstaInstruTimeoutError', async (_, call) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let asked!: () => void;
      const sent = new Promise<void>((resolve) => (asked = resolve));
      // Accepts the request and never answers (as a hung server), until the call's signal aborts it.
      const hang: Fetch = (request) =>
        new Promise((_resolve, reject) => {
          asked();
          request.signal.addEventListener('abort', () => reject(request.signal.reason));
        });
      let outcome: unknown;
      const pending = call(hang).then(
        () => (outcome = 'answered'),
        (error: unknown) => (outcome = error),
      );
      await sent;
      await vi.advanceTimersByTimeAsync(29_999);
      expect(outcome).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(outcome).toBeInstanceOf(InstaInstruTimeoutError);
      expect(outcome).toMatchObject({ code: 'timeout', detail: 'No answer from http://api.test within 30 s' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a per-call timeout win over the default', async () => {
    const api = await scriptedApi(() => 'hang');
    const started = Date.now();
    const error = await failure(createClient({ baseUrl: api.url }).health.check({ timeout: 200 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toMatchObject({ code: 'timeout', detail: `No answer from ${api.url} within 0.2 s` });
  });

  it('counts retry waits in the timeout', async () => {
    const api = await scriptedApi(() => ({ status: 429, headers: { 'retry-after': '5' }, body: { code: 'rate_limited' } }));
    const started = Date.now();
    const error = await failure(createClient({ baseUrl: api.url, timeout: 400 }).health.check());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(api.seen).toHaveLength(1);
  });

  it("rejects with the caller's own abort reason when its signal aborts (not an InstaInstruError)", async () => {
    const api = await scriptedApi(() => 'hang');
    const controller = new AbortController();
    const pending = createClient({ baseUrl: api.url }).me.get({ signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await failure(pending);
    expect(error).not.toBeInstanceOf(InstaInstruError);
    expect(error).toMatchObject({ name: 'AbortError' });

    const already = await failure(createClient({ baseUrl: api.url }).me.get({ signal: AbortSignal.abort(new Error('stop')) }));
    expect(already).toMatchObject({ message: 'stop' });
  });

  it('turns a refused connection into InstaInstruConnectionError (connection_error, status 0) naming the URL', async () => {
    const url = await deadUrl();
    const error = await failure(createClient({ baseUrl: url, retries: 0 }).health.check());
    expect(error).toBeInstanceOf(InstaInstruConnectionError);
    expect(error).not.toBeInstanceOf(InstaInstruTimeoutError);
    expect(error).toMatchObject({ status: 0, code: 'connection_error', detail: `Cannot reach ${url} (ECONNREFUSED)`, url: `${url}/healthz` });
    expect(error.requestId).toMatch(UUID);
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('throws unexpected_response when a 2xx answer is not JSON (a web page at that URL)', async () => {
    const api = await scriptedApi(() => ({ status: 200, raw: '<html>Welcome</html>' }));
    const error = await failure(createClient({ baseUrl: api.url }).auth.login({ email: 'a@example.com', password: 'x' }));
    expect(error).toBeInstanceOf(InstaInstruError);
    expect(error).toMatchObject({ status: 200, code: 'unexpected_response', detail: `${api.url} answered text/html, not JSON: is this the InstaInstru API?` });
  });
});

describe('request ids, per-call headers and hooks', () => {
  it("carries the API's X-Request-Id on every API error", async () => {
    const api = await scriptedApi(() => ({ ...problem(404, 'not_found'), headers: { 'x-request-id': 'req-from-api' } }));
    const error = await failure(createClient({ baseUrl: api.url, token: 't' }).bookings.get({ booking_id: '0b6f3c7e-2d1a-4f8e-9c3b-5a7d9e1f2a40' }));
    expect(error).toMatchObject({ status: 404, code: 'not_found', requestId: 'req-from-api', method: 'GET' });
  });

  it('sends per-call headers (a caller-given X-Request-Id is kept) next to the client-wide ones', async () => {
    const api = await scriptedApi(() => ({ status: 200, body: { status: 'ok' } }));
    const client = createClient({ baseUrl: api.url, headers: { 'x-app': 'tests' } });
    await client.health.check({ headers: { 'x-trace': 'abc', 'X-Request-Id': 'mine-1' } });
    await client.health.check();
    expect(api.seen[0]!.headers).toMatchObject({ 'x-app': 'tests', 'x-trace': 'abc', 'x-request-id': 'mine-1' });
    expect(api.seen[1]!.headers['x-trace']).toBeUndefined();
    expect(api.seen[1]!.headers['x-request-id']).toMatch(UUID);
  });

  it('tells hooks about every attempt and its outcome', async () => {
    const api = await scriptedApi((n) => (n === 1 ? { status: 503, headers: { 'retry-after': '0' }, body: {} } : { status: 200, body: { status: 'ok' } }));
    const requests: RequestEvent[] = [];
    const responses: ResponseEvent[] = [];
    const client = createClient({ baseUrl: api.url, hooks: { onRequest: (e) => requests.push(e), onResponse: (e) => responses.push(e) } });
    await client.health.check();
    expect(requests.map((r) => [r.method, r.url, r.attempt])).toEqual([
      ['GET', `${api.url}/healthz`, 1],
      ['GET', `${api.url}/healthz`, 2],
    ]);
    expect(requests[0]!.requestId).toBe(requests[1]!.requestId);
    expect(responses.map((r) => r.status)).toEqual([503, 200]);

    const down = createClient({ baseUrl: await deadUrl(), retries: 0, hooks: { onResponse: (e) => responses.push(e) } });
    await failure(down.health.check());
    expect(responses[2]).toMatchObject({ status: undefined, error: { code: 'connection_error' } });
  });
});
