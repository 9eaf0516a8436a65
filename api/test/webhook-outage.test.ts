import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';
import { startReceiver } from './webhook-receiver.js';

// Fault test (issue 14): the integrator's receiver is down while bookings go on.
describe('webhook receiver outage', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('leaves bookings unaffected, retries, and delivers every event once the receiver is back', async () => {
    // Learn a free port, then take the receiver down: connections are refused.
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    const inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [{ start_time: '08:00', end_time: '20:00' }] }] });
    const hook = (await call(app, 'POST', '/v1/me/webhooks', { token: inst.token, body: { url: `http://127.0.0.1:${port}/hooks`, events: ['booking.created', 'booking.cancelled'] } })).body;

    const students = await Promise.all(Array.from({ length: 6 }, () => registerUser(app, 'student')));
    const started = performance.now();
    const booked = await Promise.all(
      students.map((s, i) =>
        call(app, 'POST', '/v1/bookings', { token: s.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time: `${String(8 + 2 * i).padStart(2, '0')}:00`, duration_minutes: 60, location_type: 'online' } }),
      ),
    );
    const elapsed = performance.now() - started;
    expect(booked.map((r) => r.status)).toEqual(Array(6).fill(201));
    const cancelled = await call(app, 'POST', `/v1/bookings/${booked[0]!.body.id}/cancel`, { token: students[0]!.token, body: {} });
    expect(cancelled.status).toBe(200);
    expect(elapsed, 'six bookings while the receiver is down').toBeLessThan(5000);

    await app.services.jobs.runDue();
    let list = (await call(app, 'GET', `/v1/me/webhooks/${hook.id}/deliveries`, { token: inst.token })).body.data as Record<string, any>[];
    expect(list).toHaveLength(7);
    for (const d of list) expect(d).toMatchObject({ status: 'retrying', attempts: 1, response_status: null, last_error: expect.stringMatching(/ECONNREFUSED|connect/) });

    // Still down at the second attempt (5 s), back before the third (5 min later).
    app.clock.advance(5_000);
    await app.services.jobs.runDue();
    receiver = await startReceiver(() => 200, port);
    app.clock.advance(5 * 60_000);
    await app.services.jobs.runDue();

    list = (await call(app, 'GET', `/v1/me/webhooks/${hook.id}/deliveries`, { token: inst.token })).body.data;
    for (const d of list) expect(d).toMatchObject({ status: 'succeeded', attempts: 3, response_status: 200 });
    // Each event arrived exactly once, signed, and they are all the bookings' events.
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(7);
    expect(ids).toHaveLength(7);
    const events = receiver.received.map((r) => new Webhook(hook.secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: { id: string } });
    expect(events.filter((e) => e.type === 'booking.created').map((e) => e.data.id).sort()).toEqual(booked.map((b) => b.body.id).sort());
    expect(events.filter((e) => e.type === 'booking.cancelled').map((e) => e.data.id)).toEqual([booked[0]!.body.id]);
    // And nothing comes twice later.
    app.clock.advance(30 * 3600_000);
    await app.services.jobs.runDue();
    expect(receiver.received).toHaveLength(7);
  });
});
