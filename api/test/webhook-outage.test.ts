import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';
import { startReceiver } from './webhook-receiver.js';

const MINUTE = 60_000;

// Fault test (issue 14): the integrator's receiver is down for an hour (test clock) while bookings go on.
describe('webhook receiver down for an hour', () => {
  let app: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
  });

  it('leaves bookings unaffected, keeps retrying, and delivers every event exactly once after it', async () => {
    // Learn a free port, then take the receiver down: connections are refused.
    const probe = await startReceiver();
    const port = probe.port;
    await probe.close();
    const days = ['2026-07-06', '2026-07-07'].map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '20:00' }] }));
    const inst = await publishedInstructor(app, { days });
    const other = await publishedInstructor(app, { days }); // no webhooks: how fast bookings are here and now
    const hook = (await call(app, 'POST', '/v1/me/webhooks', { token: inst.token, body: { url: `http://127.0.0.1:${port}/hooks`, events: ['booking.created', 'booking.cancelled'] } })).body;
    const students = await Promise.all(Array.from({ length: 3 }, () => registerUser(app, 'student')));
    const deliveries = async () => (await call(app, 'GET', `/v1/me/webhooks/${hook.id}/deliveries?limit=100`, { token: inst.token })).body.data as Record<string, any>[];
    /** Books lesson k (a student of the three, at 08:00 + k hours) for each k at once; the answers and how long they took. */
    const bookAll = async (lessons: number[], teacher = inst, date = '2026-07-06') => {
      const started = performance.now();
      const res = await Promise.all(
        lessons.map((k) => call(app, 'POST', '/v1/bookings', { token: students[k % 3]!.token, body: { instructor_id: teacher.id, service_id: teacher.serviceId, date, start_time: `${String(8 + k).padStart(2, '0')}:00`, duration_minutes: 60, location_type: 'online' } })),
      );
      return { res, ms: performance.now() - started };
    };

    // The same six bookings with an instructor who has no webhooks: what "not slowed" is measured against.
    const baseline = await bookAll([0, 1, 2, 3, 4, 5], other, '2026-07-07');
    expect(baseline.res.map((r) => r.status)).toEqual(Array(6).fill(201));
    const budget = Math.max(5000, 2 * baseline.ms);

    // Minute 0, the receiver just went down: six bookings and a cancellation.
    const early = await bookAll([0, 1, 2, 3, 4, 5]);
    expect(early.res.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(early.ms, `six bookings while the receiver is down (six without webhooks: ${Math.round(baseline.ms)} ms)`).toBeLessThan(budget);
    const cancelled = await call(app, 'POST', `/v1/bookings/${early.res[0]!.body.id}/cancel`, { token: students[0]!.token, body: {} });
    expect(cancelled.status).toBe(200);
    await app.services.jobs.runDue();
    let list = await deliveries();
    expect(list).toHaveLength(7);
    for (const d of list) expect(d).toMatchObject({ status: 'retrying', attempts: 1, response_status: null, last_error: expect.stringMatching(/ECONNREFUSED|connect/) });

    // The hour of the outage, a minute at a time; half-way through, three more bookings, as fast as before.
    let late: Awaited<ReturnType<typeof bookAll>> | undefined;
    for (let minute = 1; minute <= 60; minute++) {
      app.clock.advance(MINUTE);
      if (minute === 30) late = await bookAll([6, 7, 8]);
      await app.services.jobs.runDue();
    }
    expect(late!.res.map((r) => r.status)).toEqual(Array(3).fill(201));
    expect(late!.ms, 'three bookings 30 minutes into the outage, with 7 deliveries retrying').toBeLessThan(budget);
    // Nothing given up after an hour: each event is still waiting for its next attempt (none got through).
    list = await deliveries();
    expect(list).toHaveLength(10);
    const tried = (status: string) => list.filter((d) => d.status === status).map((d) => d.attempts).sort();
    expect(tried('retrying')).toEqual([3, 3, 3, 4, 4, 4, 4, 4, 4, 4]); // since minute 0: 0, 1, 6, 36; since minute 30: 30, 31, 36
    for (const d of list) expect(new Date(d.next_attempt_at).getTime()).toBeGreaterThan(app.clock.now().getTime());
    expect((await call(app, 'GET', `/v1/me/webhooks/${hook.id}`, { token: inst.token })).body.status).toBe('enabled');

    // The receiver is back at minute 60; time goes on a minute at a time until every delivery went through.
    receiver = await startReceiver(() => 200, port);
    let minutes = 0;
    const unsettled = async () => Number((await app.db.sequelize.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status <> 'succeeded'", { type: QueryTypes.SELECT }))[0]!.n);
    while ((await unsettled()) > 0 && minutes < 4 * 60) {
      app.clock.advance(MINUTE);
      minutes++;
      await app.services.jobs.runDue();
    }
    list = await deliveries();
    // The next scheduled attempt of each (at most 2 h after its last failure) got through: 10 events, each once.
    expect(minutes).toBeLessThanOrEqual(2 * 60);
    for (const d of list) expect(d).toMatchObject({ status: 'succeeded', response_status: 200 });
    expect(list.map((d) => d.attempts).sort()).toEqual([4, 4, 4, 5, 5, 5, 5, 5, 5, 5]);
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(ids).toHaveLength(10);
    expect(new Set(ids)).toEqual(new Set(list.map((d) => d.event_id)));
    // Signed, and exactly the bookings' events: nine bookings created, one cancelled.
    const events = receiver.received.map((r) => new Webhook(hook.secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: { id: string } });
    const booked = [...early.res, ...late!.res].map((r) => r.body.id as string);
    expect(events.filter((e) => e.type === 'booking.created').map((e) => e.data.id).sort()).toEqual(booked.sort());
    expect(events.filter((e) => e.type === 'booking.cancelled').map((e) => e.data.id)).toEqual([early.res[0]!.body.id]);
    // And nothing comes twice later.
    for (let hour = 0; hour < 30; hour++) {
      app.clock.advance(60 * MINUTE);
      await app.services.jobs.runDue();
    }
    expect(receiver.received).toHaveLength(10);
  });
});
