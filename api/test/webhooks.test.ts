import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressAllowed } from '../src/webhooks/url-policy.js';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

describe('webhook endpoints', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let student: Awaited<ReturnType<typeof registerUser>>;
  let stranger: Awaited<ReturnType<typeof registerUser>>;
  const hook = (token: string, body: Record<string, unknown>) => call(app, 'POST', '/v1/me/webhooks', { token, body });
  const hook_ = (token: string, events: string[]) => hook(token, { url: 'http://127.0.0.1:9/done', events });
  // A change's deliveries are written by its booking.changed job, which the API runs right after commit.
  const deliveries = async (token: string, id: string) => {
    await app.services.jobs.runDue();
    return (await call(app, 'GET', `/v1/me/webhooks/${id}/deliveries`, { token })).body.data as Record<string, unknown>[];
  };

  beforeAll(async () => {
    app = await startTestApp();
    inst = await publishedInstructor(app, { days: ['2026-07-06', '2026-07-07'].map((date) => ({ date, ranges: [{ start_time: '09:00', end_time: '17:00' }] })) });
    student = await registerUser(app, 'student');
    stranger = await registerUser(app, 'student');
  });
  afterAll(async () => app?.close());

  it('creates an endpoint and shows its whsec_ secret once', async () => {
    const res = await hook(student.token, { url: 'http://127.0.0.1:9/hooks', events: ['booking.created', 'booking.cancelled'], description: ' CRM sync ' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ url: 'http://127.0.0.1:9/hooks', events: ['booking.created', 'booking.cancelled'], description: 'CRM sync', status: 'enabled', disabled_reason: null });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(res.body.secret.slice(6), 'base64')).toHaveLength(32);
    const listed = await call(app, 'GET', '/v1/me/webhooks', { token: student.token });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0].secret).toBeUndefined();
    const one = await call(app, 'GET', `/v1/me/webhooks/${res.body.id}`, { token: student.token });
    expect(one.body.secret).toBeUndefined();
    expect(JSON.stringify(one.body)).not.toContain(res.body.secret);
  });

  it('refuses unknown events, bad URLs and anonymous or other users', async () => {
    expect((await hook(student.token, { url: 'https://example.com/x', events: ['booking.exploded'] })).status).toBe(400);
    expect((await hook(student.token, { url: 'https://example.com/x', events: [] })).status).toBe(400);
    const plain = await hook(student.token, { url: 'http://hooks.example.com/x', events: ['booking.created'] });
    expect(plain.status).toBe(422);
    expect(plain.body.code).toBe('invalid_webhook_url');
    const privateNet = await hook(student.token, { url: 'https://10.0.0.5/x', events: ['booking.created'] });
    expect(privateNet.body.code).toBe('invalid_webhook_url');
    const metadata = await hook(student.token, { url: 'http://169.254.169.254/latest/meta-data', events: ['booking.created'] });
    expect(metadata.body.code).toBe('invalid_webhook_url');
    expect((await call(app, 'POST', '/v1/me/webhooks', { body: { url: 'https://example.com/x', events: ['booking.created'] } })).status).toBe(401);
    const mine = (await call(app, 'GET', '/v1/me/webhooks', { token: student.token })).body.data[0].id;
    for (const [method, path] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/rotate-secret'], ['GET', '/deliveries'], ['POST', '/test']] as const) {
      const res = await call(app, method, `/v1/me/webhooks/${mine}${path}`, { token: stranger.token, ...(method === 'PATCH' ? { body: { description: 'mine now' } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });

  it('writes a delivery per subscribed endpoint of each participant with the booking as the API shows it', async () => {
    const studentHook = (await call(app, 'GET', '/v1/me/webhooks', { token: student.token })).body.data[0];
    const instHook = (await hook(inst.token, { url: 'http://localhost:9/in', events: ['booking.confirmed', 'booking.rescheduled'] })).body;
    const strangerHook = (await hook(stranger.token, { url: 'http://127.0.0.1:9/s', events: ['booking.created'] })).body;
    const booked = await call(app, 'POST', '/v1/bookings', { token: student.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time: '10:00', duration_minutes: 60, location_type: 'online' } });
    expect(booked.status).toBe(201);
    const shown = (await call(app, 'GET', `/v1/bookings/${booked.body.id}`, { token: student.token })).body;

    const toStudent = await deliveries(student.token, studentHook.id);
    expect(toStudent).toHaveLength(1);
    // Delivery starts right after commit (nothing listens on port 9): not tried yet, or failed once and retrying.
    expect(toStudent[0]).toMatchObject({ event_type: 'booking.created', status: expect.stringMatching(/^(pending|retrying)$/) });
    expect(toStudent[0]!.event_id).toMatch(/^evt_/);
    const toInst = await deliveries(inst.token, instHook.id);
    expect(toInst.map((d) => d.event_type)).toEqual(['booking.confirmed']);
    expect(await deliveries(stranger.token, strangerHook.id)).toEqual([]);

    const payload = JSON.parse((await app.db.models.WebhookDelivery.findByPk(toStudent[0]!.id as string))!.payload);
    expect(payload).toEqual({ id: toStudent[0]!.event_id, type: 'booking.created', created_at: app.clock.now().toISOString(), data: shown });

    // A reschedule: the instructor subscribed; the student did not.
    expect((await call(app, 'POST', `/v1/bookings/${booked.body.id}/reschedule`, { token: student.token, body: { date: '2026-07-07', start_time: '11:00' } })).status).toBe(200);
    expect((await deliveries(inst.token, instHook.id)).map((d) => d.event_type)).toEqual(['booking.rescheduled', 'booking.confirmed']);
    expect(await deliveries(student.token, studentHook.id)).toHaveLength(1);
    // A cancellation by the instructor reaches the student's endpoint.
    expect((await call(app, 'POST', `/v1/bookings/${booked.body.id}/cancel`, { token: inst.token, body: {} })).status).toBe(200);
    const cancelled = await deliveries(student.token, studentHook.id);
    expect(cancelled.map((d) => d.event_type)).toEqual(['booking.cancelled', 'booking.created']);
    const cancelPayload = JSON.parse((await app.db.models.WebhookDelivery.findByPk(cancelled[0]!.id as string))!.payload);
    expect(cancelPayload.data).toMatchObject({ id: booked.body.id, status: 'cancelled', cancelled_by: 'instructor' });
  });

  it('writes nothing for a booking that was refused (same transaction)', async () => {
    const studentHook = (await call(app, 'GET', '/v1/me/webhooks', { token: student.token })).body.data[0];
    const before = (await deliveries(student.token, studentHook.id)).length;
    const refused = await call(app, 'POST', '/v1/bookings', { token: student.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time: '18:00', duration_minutes: 60, location_type: 'online' } });
    expect(refused.status).toBe(409);
    expect(await deliveries(student.token, studentHook.id)).toHaveLength(before);
  });

  it('rotates the secret (the new one shown once), changes, disables, re-enables and deletes', async () => {
    const created = (await hook(student.token, { url: 'http://127.0.0.1:9/r', events: ['booking.created'] })).body;
    const rotated = await call(app, 'POST', `/v1/me/webhooks/${created.id}/rotate-secret`, { token: student.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.secret);
    const patched = await call(app, 'PATCH', `/v1/me/webhooks/${created.id}`, { token: student.token, body: { events: ['booking.cancelled', 'lesson.reminder'], status: 'disabled' } });
    expect(patched.body).toMatchObject({ events: ['booking.cancelled', 'lesson.reminder'], status: 'disabled', disabled_reason: 'manual' });
    const test = await call(app, 'POST', `/v1/me/webhooks/${created.id}/test`, { token: student.token });
    expect(test.status).toBe(409);
    expect(test.body.code).toBe('webhook_disabled');
    const enabled = await call(app, 'PATCH', `/v1/me/webhooks/${created.id}`, { token: student.token, body: { status: 'enabled' } });
    expect(enabled.body).toMatchObject({ status: 'enabled', disabled_reason: null });
    const badUrl = await call(app, 'PATCH', `/v1/me/webhooks/${created.id}`, { token: student.token, body: { url: 'https://192.168.0.10/' } });
    expect(badUrl.body.code).toBe('invalid_webhook_url');
    expect((await call(app, 'PATCH', `/v1/me/webhooks/${created.id}`, { token: student.token, body: {} })).status).toBe(400);
    const sent = await call(app, 'POST', `/v1/me/webhooks/${created.id}/test`, { token: student.token });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ event_type: 'webhook.test', status: 'pending', attempts: 0 });
    const retried = await call(app, 'POST', `/v1/me/webhooks/${created.id}/deliveries/${sent.body.id}/retry`, { token: student.token });
    expect(retried.status).toBe(202);
    expect(retried.body.event_id).toBe(sent.body.event_id);
    expect((await call(app, 'POST', `/v1/me/webhooks/${created.id}/deliveries/00000000-0000-4000-8000-000000000000/retry`, { token: student.token })).status).toBe(404);
    expect((await call(app, 'DELETE', `/v1/me/webhooks/${created.id}`, { token: student.token })).status).toBe(204);
    expect((await call(app, 'GET', `/v1/me/webhooks/${created.id}`, { token: student.token })).status).toBe(404);
  });

  it('announces completed and no-show lessons to the subscribed instructor', async () => {
    const hook = (await hook_(inst.token, ['booking.completed', 'booking.no_show'])).body;
    const a = await registerUser(app, 'student');
    const b = await registerUser(app, 'student');
    const lesson = async (token: string, start_time: string) =>
      (await call(app, 'POST', '/v1/bookings', { token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-07', start_time, duration_minutes: 30, location_type: 'online' } })).body.id as string;
    const first = await lesson(a.token, '14:00');
    const second = await lesson(b.token, '15:00');
    app.clock.set(new Date('2026-07-07T14:00:00Z'));
    expect((await call(app, 'POST', `/v1/bookings/${first}/complete`, { token: inst.token })).status).toBe(200);
    expect((await call(app, 'POST', `/v1/bookings/${second}/no-show`, { token: inst.token })).status).toBe(200);
    // The changes' jobs run before the test clock goes back (they are due at the time they were made).
    await app.services.jobs.runDue();
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const types = (await deliveries(inst.token, hook.id)).map((d) => d.event_type);
    expect(types.sort()).toEqual(['booking.completed', 'booking.no_show']);
  });

  it('caps an account at 20 endpoints', async () => {
    const user = await registerUser(app, 'student');
    for (let i = 0; i < 20; i++) expect((await hook(user.token, { url: `http://127.0.0.1:9/${i}`, events: ['booking.created'] })).status).toBe(201);
    const over = await hook(user.token, { url: 'http://127.0.0.1:9/21', events: ['booking.created'] });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('webhook_limit_reached');
    const page = await call(app, 'GET', '/v1/me/webhooks?limit=15', { token: user.token });
    expect(page.body.data).toHaveLength(15);
    const rest = await call(app, 'GET', `/v1/me/webhooks?limit=15&cursor=${page.body.next_cursor}`, { token: user.token });
    expect(rest.body.data).toHaveLength(5);
    expect(rest.body.next_cursor).toBeNull();
  });
});

describe('webhook URLs in production', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => app?.close());

  it('refuses http, loopback and names that resolve to 127.0.0.1', async () => {
    const user = await registerUser(app, 'student');
    // This machine's own name resolves (through /etc/hosts or DNS) to a loopback or private address.
    const host = hostname();
    const { address } = await lookup(host);
    expect(addressAllowed(address, { allowLoopback: false })).toBe(false);
    for (const url of [`https://${host}/in`, `https://${host}:8443/in`, 'http://127.0.0.1:9000/in', 'https://127.0.0.1/in', 'https://localhost/in', 'https://[::1]/in', 'https://2130706433/in', 'https://localhost./in', 'https://api.localhost/in']) {
      const res = await call(app, 'POST', '/v1/me/webhooks', { token: user.token, body: { url, events: ['booking.created'] } });
      expect(res.status, url).toBe(422);
      expect(res.body.code, url).toBe('invalid_webhook_url');
    }
  });
});
