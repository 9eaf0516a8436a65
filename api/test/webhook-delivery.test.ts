import { readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';
import { startReceiver } from './webhook-receiver.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const days = Array.from({ length: 20 }, (_, i) => `2026-07-${String(6 + i).padStart(2, '0')}`);

describe('webhook delivery', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let slot = 0;

  /** Books the next free hour with a new student; returns the booking and how long the answer took. */
  async function book(student?: { token: string }) {
    const who = student ?? (await registerUser(app, 'student'));
    const day = days[Math.floor(slot / 8)]!;
    const start = `${String(9 + (slot % 8)).padStart(2, '0')}:00`;
    slot++;
    const started = performance.now();
    const res = await call(app, 'POST', '/v1/bookings', { token: who.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: day, start_time: start, duration_minutes: 60, location_type: 'online' } });
    const ms = performance.now() - started;
    expect(res.status).toBe(201);
    return { booking: res.body as { id: string }, ms };
  }

  async function endpoint(token: string, url = receiver.url, events = ['booking.created']) {
    const res = await call(app, 'POST', '/v1/me/webhooks', { token, body: { url, events } });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string };
  }

  const deliveries = async (token: string, id: string) => (await call(app, 'GET', `/v1/me/webhooks/${id}/deliveries`, { token })).body.data as Record<string, any>[];
  const advance = async (ms: number) => {
    app.clock.advance(ms);
    await app.services.jobs.runDue();
  };

  beforeAll(async () => {
    app = await startTestApp();
    receiver = await startReceiver();
    inst = await publishedInstructor(app, { days: days.map((date) => ({ date, ranges: [{ start_time: '09:00', end_time: '17:00' }] })) });
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('POSTs the event signed per Standard Webhooks, verifiable with the standardwebhooks package', async () => {
    const student = await registerUser(app, 'student');
    const hook = await endpoint(student.token);
    const { booking } = await book(student);
    await app.services.jobs.runDue();
    const got = receiver.received.filter((r) => JSON.parse(r.body).data.id === booking.id);
    expect(got).toHaveLength(1);
    const event = new Webhook(hook.secret).verify(got[0]!.body, got[0]!.headers as Record<string, string>) as Record<string, any>;
    const shown = (await call(app, 'GET', `/v1/bookings/${booking.id}`, { token: student.token })).body;
    expect(event).toEqual({ id: got[0]!.headers['webhook-id'], type: 'booking.created', created_at: app.clock.now().toISOString(), data: shown });
    expect(got[0]!.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(got[0]!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    const [d] = await deliveries(student.token, hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 1, response_status: 200, last_error: null, next_attempt_at: null, event_id: got[0]!.headers['webhook-id'] });
    expect(d!.duration_ms).toBeGreaterThanOrEqual(0);
    // Another secret does not verify.
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(got[0]!.body, got[0]!.headers as Record<string, string>)).toThrow();
  });

  it('retries on the schedule 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h with the same webhook-id, then gives up', async () => {
    const student = await registerUser(app, 'student');
    const path = `/always-500-${student.id}`;
    receiver.answerWith((r) => (r.path === path ? 500 : 200));
    const hook = await endpoint(student.token, `http://127.0.0.1:${receiver.port}${path}`);
    await book(student);
    await app.services.jobs.runDue();
    const hits = () => receiver.received.filter((r) => r.path === path);
    expect(hits()).toHaveLength(1);
    let [d] = await deliveries(student.token, hook.id);
    expect(d).toMatchObject({ status: 'retrying', attempts: 1, response_status: 500, last_error: 'HTTP 500: nope 500' });
    expect(d!.next_attempt_at).toBe(new Date(app.clock.now().getTime() + 5 * SECOND).toISOString());
    const schedule = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
    for (const [i, wait] of schedule.entries()) {
      await advance(wait - SECOND);
      expect(hits(), `not before attempt ${i + 2} is due`).toHaveLength(i + 1);
      await advance(SECOND);
      expect(hits(), `attempt ${i + 2}`).toHaveLength(i + 2);
    }
    await advance(48 * HOUR);
    expect(hits()).toHaveLength(8);
    [d] = await deliveries(student.token, hook.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 8, next_attempt_at: null });
    expect(new Set(hits().map((h) => h.headers['webhook-id']))).toEqual(new Set([d!.event_id]));
    for (const h of hits()) expect(() => new Webhook(hook.secret).verify(h.body, h.headers as Record<string, string>)).not.toThrow();
    receiver.answerWith(() => 200);
  });

  it('delivers once the receiver recovers, and a retry by hand resends the same event', async () => {
    const student = await registerUser(app, 'student');
    const path = `/flaky-${student.id}`;
    receiver.answerWith((r) => (r.path === path ? 503 : 200));
    const hook = await endpoint(student.token, `http://127.0.0.1:${receiver.port}${path}`);
    await book(student);
    await app.services.jobs.runDue();
    await advance(5 * SECOND);
    receiver.answerWith(() => 200);
    await advance(5 * MINUTE);
    const hits = receiver.received.filter((r) => r.path === path);
    expect(hits.map((h) => h.headers['webhook-id'])).toEqual(Array(3).fill(hits[0]!.headers['webhook-id']));
    let [d] = await deliveries(student.token, hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 3, response_status: 200 });
    // Nothing more comes later.
    await advance(30 * HOUR);
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(3);
    const retried = await call(app, 'POST', `/v1/me/webhooks/${hook.id}/deliveries/${d!.id}/retry`, { token: student.token });
    expect(retried.status).toBe(202);
    await app.services.jobs.runDue();
    const again = receiver.received.filter((r) => r.path === path);
    expect(again).toHaveLength(4);
    expect(again[3]!.headers['webhook-id']).toBe(hits[0]!.headers['webhook-id']);
    expect(again[3]!.body).toBe(hits[0]!.body);
    [d] = await deliveries(student.token, hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 4 });
  });

  it('attempts a waiting delivery at once when it is retried by hand', async () => {
    const student = await registerUser(app, 'student');
    const path = `/once-down-${student.id}`;
    receiver.answerWith((r) => (r.path === path ? 500 : 200));
    const hook = await endpoint(student.token, `http://127.0.0.1:${receiver.port}${path}`);
    await call(app, 'POST', `/v1/me/webhooks/${hook.id}/test`, { token: student.token });
    await app.services.jobs.runDue();
    let [d] = await deliveries(student.token, hook.id);
    expect(d).toMatchObject({ status: 'retrying', attempts: 1 });
    receiver.answerWith(() => 200);
    expect((await call(app, 'POST', `/v1/me/webhooks/${hook.id}/deliveries/${d!.id}/retry`, { token: student.token })).status).toBe(202);
    await app.services.jobs.runDue();
    [d] = await deliveries(student.token, hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 2 });
    // The attempt it replaced does not run again later.
    await advance(HOUR);
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(2);
  });

  it('disables an endpoint at once when it answers 410 Gone, and mails its owner', async () => {
    const student = await registerUser(app, 'student');
    const path = `/gone-${student.id}`;
    receiver.answerWith((r) => (r.path === path ? 410 : 200));
    const hook = await endpoint(student.token, `http://127.0.0.1:${receiver.port}${path}`);
    await book(student);
    await app.services.jobs.runDue();
    const shown = (await call(app, 'GET', `/v1/me/webhooks/${hook.id}`, { token: student.token })).body;
    expect(shown).toMatchObject({ status: 'disabled', disabled_reason: 'gone' });
    const [d] = await deliveries(student.token, hook.id);
    expect(d).toMatchObject({ status: 'failed', response_status: 410 });
    await book(student);
    await advance(HOUR);
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(1);
    expect((await readdir(app.outboxDir)).filter((f) => f.includes('-webhook-disabled-'))).toHaveLength(1);
    receiver.answerWith(() => 200);
  });

  it('disables an endpoint that failed for 5 days without a success, and mails its owner', async () => {
    const student = await registerUser(app, 'student');
    const path = `/dead-${student.id}`;
    receiver.answerWith((r) => (r.path === path ? 500 : 200));
    const hook = await endpoint(student.token, `http://127.0.0.1:${receiver.port}${path}`);
    const mailsBefore = (await readdir(app.outboxDir)).filter((f) => f.includes('-webhook-disabled-')).length;
    const started = app.clock.now().getTime();
    // A test event every 12 hours; each one fails and is retried.
    while (app.clock.now().getTime() - started < 5 * 24 * HOUR - HOUR) {
      expect((await call(app, 'POST', `/v1/me/webhooks/${hook.id}/test`, { token: student.token })).status).toBe(202);
      for (let h = 0; h < 12; h++) await advance(HOUR);
      expect((await call(app, 'GET', `/v1/me/webhooks/${hook.id}`, { token: student.token })).body.status, 'still enabled before 5 days').toBe('enabled');
    }
    for (let h = 0; h < 12; h++) await advance(HOUR);
    const shown = (await call(app, 'GET', `/v1/me/webhooks/${hook.id}`, { token: student.token })).body;
    expect(shown).toMatchObject({ status: 'disabled', disabled_reason: 'failing' });
    const list = await deliveries(student.token, hook.id);
    expect(list.every((d) => d.status === 'failed')).toBe(true);
    await app.services.outbox.flush();
    expect((await readdir(app.outboxDir)).filter((f) => f.includes('-webhook-disabled-'))).toHaveLength(mailsBefore + 1);
    const count = receiver.received.filter((r) => r.path === path).length;
    await advance(24 * HOUR);
    expect(receiver.received.filter((r) => r.path === path)).toHaveLength(count);
    // Enabling it again forgets the failures.
    const enabled = await call(app, 'PATCH', `/v1/me/webhooks/${hook.id}`, { token: student.token, body: { status: 'enabled' } });
    expect(enabled.body).toMatchObject({ status: 'enabled', disabled_reason: null });
    receiver.answerWith(() => 200);
  });

  it('signs with the old and the new secret for 24 hours after a rotation, then with the new one only', async () => {
    const student = await registerUser(app, 'student');
    const hook = await endpoint(student.token);
    const rotated = (await call(app, 'POST', `/v1/me/webhooks/${hook.id}/rotate-secret`, { token: student.token })).body;
    const send = async () => {
      const res = await call(app, 'POST', `/v1/me/webhooks/${hook.id}/test`, { token: student.token });
      await app.services.jobs.runDue();
      return receiver.received.find((r) => r.headers['webhook-id'] === res.body.event_id)!;
    };
    const during = await send();
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [hook.secret, rotated.secret]) expect(() => new Webhook(secret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();
    app.clock.advance(24 * HOUR + SECOND);
    const after = await send();
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() => new Webhook(rotated.secret).verify(after.body, after.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(hook.secret).verify(after.body, after.headers as Record<string, string>)).toThrow();
  });

  it('forgets settled deliveries 30 days after their last attempt', async () => {
    const student = await registerUser(app, 'student');
    const hook = await endpoint(student.token);
    await call(app, 'POST', `/v1/me/webhooks/${hook.id}/test`, { token: student.token });
    await app.services.jobs.runDue();
    expect((await deliveries(student.token, hook.id)).map((d) => d.status)).toEqual(['succeeded']);
    await advance(29 * 24 * HOUR);
    expect(await deliveries(student.token, hook.id)).toHaveLength(1);
    await advance(2 * 24 * HOUR);
    expect(await deliveries(student.token, hook.id)).toEqual([]);
  });
});

describe('a slow or dead receiver', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    app = await startTestApp({ env: { WEBHOOK_TIMEOUT_MS: '1500' } });
    receiver = await startReceiver(() => 'hang');
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('never slows bookings (measured); the hanging attempt times out and is retried', async () => {
    const inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [{ start_time: '08:00', end_time: '18:00' }] }] });
    const book = async (token: string, start: string) => {
      const started = performance.now();
      const res = await call(app, 'POST', '/v1/bookings', { token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time: start, duration_minutes: 60, location_type: 'online' } });
      expect(res.status).toBe(201);
      return performance.now() - started;
    };
    // Baseline: bookings while no endpoint exists.
    const a = await registerUser(app, 'student');
    const baseline = [await book(a.token, '08:00'), await book(a.token, '09:00')];
    // Both participants subscribe to a receiver that never answers.
    for (const token of [inst.token, (await registerUser(app, 'student')).token]) {
      expect((await call(app, 'POST', '/v1/me/webhooks', { token, body: { url: receiver.url, events: ['booking.created', 'booking.confirmed'] } })).status).toBe(201);
    }
    const b = await registerUser(app, 'student');
    await call(app, 'POST', '/v1/me/webhooks', { token: b.token, body: { url: receiver.url, events: ['booking.created'] } });
    const withHook: number[] = [];
    for (const start of ['10:00', '11:00', '12:00', '13:00']) withHook.push(await book(b.token, start));
    // The receiver is hanging on requests while the bookings were answered.
    expect(receiver.received.length).toBeGreaterThan(0);
    const worst = Math.max(...withHook);
    expect(worst, `bookings took ${withHook.map((m) => m.toFixed(0)).join(', ')} ms (baseline ${baseline.map((m) => m.toFixed(0)).join(', ')} ms)`).toBeLessThan(Math.max(1000, 5 * Math.max(...baseline)));
    // Each attempt is cut off after WEBHOOK_TIMEOUT_MS and scheduled again.
    await app.services.jobs.runDue();
    const hook = (await call(app, 'GET', '/v1/me/webhooks', { token: b.token })).body.data[0];
    const list = (await call(app, 'GET', `/v1/me/webhooks/${hook.id}/deliveries`, { token: b.token })).body.data as Record<string, any>[];
    expect(list).toHaveLength(4);
    for (const d of list) {
      expect(d).toMatchObject({ status: 'retrying', attempts: 1, response_status: null, last_error: 'no answer within 1.5 s' });
      expect(d.duration_ms).toBeGreaterThanOrEqual(1400);
    }
  });
});

describe('webhook delivery against DNS rebinding (production)', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    app = await startTestApp({ env: { NODE_ENV: 'production' } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('refuses to connect when the name resolves to a private address at delivery time', async () => {
    const student = await registerUser(app, 'student');
    // Registered while the name pointed elsewhere (written directly: the API refuses it today).
    const endpoint = await app.db.models.WebhookEndpoint.create({
      user_id: student.id,
      url: `https://${hostname()}:${receiver.port}/hooks`,
      events: ['booking.created'],
      description: '',
      status: 'enabled',
      disabled_reason: null,
      secret: `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
      previous_secret: null,
      previous_secret_until: null,
      failing_since: null,
      deleted_at: null,
    });
    const test = await call(app, 'POST', `/v1/me/webhooks/${endpoint.id}/test`, { token: student.token });
    expect(test.status).toBe(202);
    await app.services.jobs.runDue();
    expect(receiver.received).toHaveLength(0);
    const [d] = (await call(app, 'GET', `/v1/me/webhooks/${endpoint.id}/deliveries`, { token: student.token })).body.data;
    expect(d).toMatchObject({ status: 'retrying', attempts: 1, response_status: null });
    expect(d.last_error).toMatch(/resolves to .*private, loopback or link-local/);
  });
});
