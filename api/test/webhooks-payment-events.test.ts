// payment.* webhook events, end to end: an endpoint subscribed to them (a real local HTTP
// receiver), paid lessons on the offline processor, the admin's test clock, and each event checked
// as its receiver sees it: signed per Standard Webhooks (verified with the `standardwebhooks`
// package) and carrying the booking exactly as GET /v1/bookings/{id} shows it to the endpoint's
// owner (docs/webhooks.md, "Events").
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerAdmin, registerUser, startTestApp, type TestApp } from './harness.js';
import { startReceiver, type Received } from './webhook-receiver.js';
import { startStripeStandIn, type StripeStandIn } from './stripe-stand-in.js';

const PAYMENT_EVENTS = ['payment.authorized', 'payment.captured', 'payment.failed', 'payment.refunded'];
const DAYS = ['2026-07-03', '2026-07-15', '2026-07-29'].map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '18:00' }] }));
const DAY = 86_400;

interface WebhookEvent {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, any>;
}

/** An app on the offline processor (now 2026-07-01T08:00Z), an instructor in Berlin, an admin and a receiver. */
function paymentWorld() {
  const w = {} as {
    app: TestApp;
    receiver: Awaited<ReturnType<typeof startReceiver>>;
    inst: Awaited<ReturnType<typeof publishedInstructor>>;
    admin: { token: string };
    /** The instructor's endpoint, subscribed to the four payment events. */
    hook: { id: string; secret: string; url: string };
  };
  beforeAll(async () => {
    w.app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z') });
    w.receiver = await startReceiver();
    w.inst = await publishedInstructor(w.app, { days: DAYS, hourly_rate: 6000 });
    w.admin = await registerAdmin(w.app);
    const url = `http://127.0.0.1:${w.receiver.port}/instructor`;
    const res = await call(w.app, 'POST', '/v1/me/webhooks', { token: w.inst.token, body: { url, events: PAYMENT_EVENTS, description: 'payments' } });
    expect(res.status).toBe(201);
    expect(res.body.events).toEqual(PAYMENT_EVENTS);
    w.hook = { id: res.body.id, secret: res.body.secret, url };
  });
  afterAll(async () => {
    await w.app?.close();
    await w.receiver?.close();
  });

  /** Each request verified once, when a test first looks at it (soon after it arrived). */
  const verified = new WeakMap<Received, WebhookEvent>();
  /**
   * Every request the receiver got on `path`, each verified with `secret` as an integrator would
   * (the standardwebhooks package throws on a bad or missing signature, or a stale timestamp), oldest first.
   */
  const received = (path: string, secret: string): WebhookEvent[] =>
    w.receiver.received
      .filter((r) => r.path === path)
      .map((r) => {
        const known = verified.get(r);
        if (known) return known;
        const headers = r.headers as Record<string, string>;
        const event = new Webhook(secret).verify(r.body, headers) as WebhookEvent;
        expect(headers['content-type']).toBe('application/json');
        expect(headers['webhook-id']).toBe(event.id);
        expect(event.id).toMatch(/^evt_/);
        // webhook-timestamp is the real time of the attempt, whatever the test clock says.
        expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
        verified.set(r, event);
        return event;
      });
  /** The instructor's payment events about one booking. */
  const eventsOf = (bookingId: string) => received('/instructor', w.hook.secret).filter((e) => e.data.id === bookingId);
  const book = (token: string, date: string, start_time: string) =>
    call(w.app, 'POST', '/v1/bookings', { token, body: { instructor_id: w.inst.id, service_id: w.inst.serviceId, date, start_time, duration_minutes: 60, location_type: 'online' } });
  /** The booking as its instructor sees it through the API right now. */
  const shownToInstructor = async (bookingId: string) => {
    const res = await call(w.app, 'GET', `/v1/bookings/${bookingId}`, { token: w.inst.token });
    expect(res.status).toBe(200);
    return res.body as Record<string, any>;
  };
  /** The admin's test clock: moves time and runs every job then due before it answers. */
  const advance = async (seconds: number) => {
    const res = await call(w.app, 'POST', '/v1/admin/test-clock', { token: w.admin.token, body: { advance_seconds: seconds } });
    expect(res.status).toBe(200);
  };
  /** Lets the changes' booking.changed jobs write their deliveries and the deliveries go out. */
  const deliver = () => w.app.services.jobs.runDue();
  /** Checks the newest event of a booking: its type, its time, and the booking as the API shows it now. */
  const expectLatest = async (bookingId: string, type: string) => {
    const event = eventsOf(bookingId).at(-1)!;
    expect(event.type).toBe(type);
    expect(event.created_at).toBe(w.app.clock.now().toISOString());
    expect(event.data).toEqual(await shownToInstructor(bookingId));
    return event;
  };
  return { w, received, eventsOf, book, shownToInstructor, advance, deliver, expectLatest };
}

describe('payment.* webhook events of a lesson held at booking', () => {
  const t = paymentWorld();
  const { w, eventsOf, book, advance, deliver, expectLatest } = t;

  it('a declined card: payment.failed, with the booking cancelled and its payment failed', async () => {
    const s = await registerUser(w.app, 'student', { card: 'pm_card_chargeDeclined' });
    const res = await book(s.token, '2026-07-03', '12:00');
    expect([res.status, res.body.code]).toEqual([402, 'payment_declined']);
    const [booking] = (await call(w.app, 'GET', '/v1/bookings?role=student', { token: s.token })).body.data as { id: string }[];
    await deliver();
    expect(eventsOf(booking!.id).map((e) => e.type)).toEqual(['payment.failed']);
    const failed = await expectLatest(booking!.id, 'payment.failed');
    expect(failed.data).toMatchObject({ status: 'cancelled', payment_status: 'failed', student_id: s.id, instructor_id: w.inst.id, price: { amount: 6000, currency: 'EUR' } });
    expect(failed.data.payment).toMatchObject({ amount: 6000, currency: 'EUR', authorized_amount: 0, captured_amount: 0, refunded_amount: 0 });
  });

  it('payment.authorized at booking, payment.captured when completed, payment.refunded for each admin refund', async () => {
    const s = await registerUser(w.app, 'student');
    const booked = await book(s.token, '2026-07-03', '10:00'); // 08:00Z
    expect([booked.status, booked.body.status, booked.body.payment_status]).toEqual([201, 'confirmed', 'authorized']);
    const id = booked.body.id as string;
    await deliver();
    // Only what the endpoint subscribed to: no booking.created / booking.confirmed here.
    expect(eventsOf(id).map((e) => e.type)).toEqual(['payment.authorized']);
    const authorized = await expectLatest(id, 'payment.authorized');
    expect(authorized.data).toMatchObject({ id, status: 'confirmed', payment_status: 'authorized' });
    expect(authorized.data.payment).toMatchObject({ amount: 6000, authorized_amount: 6000, captured_amount: 0, capture_before: '2026-07-08T08:00:00.000Z' });

    await advance(2 * DAY + 3600); // 2026-07-03T09:00Z: the lesson has started
    const done = await call(w.app, 'POST', `/v1/bookings/${id}/complete`, { token: w.inst.token });
    expect([done.status, done.body.payment_status]).toEqual([200, 'captured']);
    await deliver();
    expect(eventsOf(id).map((e) => e.type)).toEqual(['payment.authorized', 'payment.captured']);
    const captured = await expectLatest(id, 'payment.captured');
    expect(captured.data).toMatchObject({ status: 'completed', payment_status: 'captured' });
    expect(captured.data.payment).toMatchObject({ captured_amount: 6000, fee_amount: 0, refunded_amount: 0 });
    // The signature covers the body: a changed byte does not verify.
    const raw = w.receiver.received.find((r) => r.headers['webhook-id'] === captured.id)!;
    expect(() => new Webhook(w.hook.secret).verify(raw.body.replace('"captured_amount":6000', '"captured_amount":60'), raw.headers as Record<string, string>)).toThrow();

    const part = await call(w.app, 'POST', `/v1/bookings/${id}/refund`, { token: w.admin.token, body: { amount: 1500 } });
    expect([part.status, part.body.payment_status]).toEqual([200, 'partially_refunded']);
    await deliver();
    expect(eventsOf(id).map((e) => e.type)).toEqual(['payment.authorized', 'payment.captured', 'payment.refunded']);
    const firstRefund = await expectLatest(id, 'payment.refunded');
    expect(firstRefund.data).toMatchObject({ status: 'completed', payment_status: 'partially_refunded' });
    expect(firstRefund.data.payment).toMatchObject({ captured_amount: 6000, refunded_amount: 1500 });

    const rest = await call(w.app, 'POST', `/v1/bookings/${id}/refund`, { token: w.admin.token });
    expect([rest.status, rest.body.payment_status]).toEqual([200, 'refunded']);
    await deliver();
    // One event per refund; refunded_amount is the total so far.
    expect(eventsOf(id).map((e) => e.type)).toEqual(['payment.authorized', 'payment.captured', 'payment.refunded', 'payment.refunded']);
    const secondRefund = await expectLatest(id, 'payment.refunded');
    expect(secondRefund.data).toMatchObject({ payment_status: 'refunded', payment: { captured_amount: 6000, refunded_amount: 6000 } });
    expect(new Set(eventsOf(id).map((e) => e.id)).size).toBe(4);

    // A refund refused (nothing left) announces nothing.
    expect((await call(w.app, 'POST', `/v1/bookings/${id}/refund`, { token: w.admin.token })).body.code).toBe('invalid_transition');
    await deliver();
    expect(eventsOf(id)).toHaveLength(4);

    // The endpoint's owner sees each delivery succeeded at the first attempt.
    const deliveries = (await call(w.app, 'GET', `/v1/me/webhooks/${w.hook.id}/deliveries`, { token: w.inst.token })).body.data as Record<string, any>[];
    const mine = deliveries.filter((d) => eventsOf(id).some((e) => e.id === d.event_id));
    expect(mine.map((d) => d.event_type).sort()).toEqual(['payment.authorized', 'payment.captured', 'payment.refunded', 'payment.refunded']);
    for (const d of mine) expect(d).toMatchObject({ status: 'succeeded', attempts: 1, response_status: 200 });
  });
});

describe('payment.* webhook events of a lesson further out (card saved, authorized off-session)', () => {
  const t = paymentWorld();
  const { w, received, eventsOf, book, shownToInstructor, advance, deliver, expectLatest } = t;

  it('payment.authorized when the saved card is held before the lesson, payment.captured for the no-show fee', async () => {
    const profile = await call(w.app, 'PUT', '/v1/me/instructor-profile', { token: w.inst.token, body: { no_show_fee_percent: 40 } });
    expect(profile.body.no_show_fee_percent).toBe(40);
    const s = await registerUser(w.app, 'student');
    const booked = await book(s.token, '2026-07-15', '10:00'); // 08:00Z, 14 days out
    expect([booked.status, booked.body.payment_status, booked.body.payment.authorize_at]).toEqual([201, 'card_saved', '2026-07-11T08:00:00.000Z']);
    const id = booked.body.id as string;
    await deliver();
    // Saving the card moves no money: no payment event yet.
    expect(eventsOf(id)).toEqual([]);
    await advance(10 * DAY - 60);
    expect(eventsOf(id)).toEqual([]);
    await advance(60); // authorize_at
    await deliver();
    expect(eventsOf(id).map((e) => e.type)).toEqual(['payment.authorized']);
    const authorized = await expectLatest(id, 'payment.authorized');
    expect(authorized.data).toMatchObject({ status: 'confirmed', payment_status: 'authorized', payment: { authorized_amount: 6000, capture_before: '2026-07-16T02:00:00.000Z' } });

    await advance(4 * DAY + 1800); // 2026-07-15T08:30Z
    const noShow = await call(w.app, 'POST', `/v1/bookings/${id}/no-show`, { token: w.inst.token });
    expect([noShow.status, noShow.body.status, noShow.body.payment_status]).toEqual([200, 'no_show', 'captured']);
    await deliver();
    expect(eventsOf(id).map((e) => e.type)).toEqual(['payment.authorized', 'payment.captured']);
    const captured = await expectLatest(id, 'payment.captured');
    expect(captured.data).toMatchObject({ status: 'no_show', payment_status: 'captured', payment: { captured_amount: 2400, fee_amount: 2400 } });
  });

  it('a failed off-session authorization not fixed in the grace: payment.failed, and booking.cancelled to who subscribed to it', async () => {
    // Now 2026-07-15T08:30Z; a lesson two weeks later, authorized on 2026-07-25T08:00Z.
    const s = await registerUser(w.app, 'student', { card: 'pm_card_chargeDeclined' });
    const studentUrl = `http://127.0.0.1:${w.receiver.port}/student`;
    const studentHook = (await call(w.app, 'POST', '/v1/me/webhooks', { token: s.token, body: { url: studentUrl, events: ['payment.failed', 'booking.cancelled'] } })).body as { secret: string };
    const booked = await book(s.token, '2026-07-29', '10:00'); // 08:00Z
    expect([booked.status, booked.body.status, booked.body.payment_status]).toEqual([201, 'confirmed', 'card_saved']);
    const id = booked.body.id as string;
    const toStudent = () => received('/student', studentHook.secret).filter((e) => e.data.id === id);

    await advance(10 * DAY - 1800); // authorize_at: declined off-session, the student is asked to fix it
    await deliver();
    expect(await shownToInstructor(id)).toMatchObject({ status: 'confirmed', payment_status: 'requires_action', payment: { action_expires_at: '2026-07-26T08:00:00.000Z' } });
    // The booking is kept for the grace: nothing failed for good yet.
    expect(eventsOf(id)).toEqual([]);
    expect(toStudent()).toEqual([]);

    await advance(DAY + 60); // the grace is over: cancelled, the time freed
    await deliver();
    expect(eventsOf(id).map((e) => e.type)).toEqual(['payment.failed']);
    const failed = await expectLatest(id, 'payment.failed');
    expect(failed.data).toMatchObject({ status: 'cancelled', payment_status: 'failed', cancellation_reason: 'The payment was not completed in time.', payment: { authorized_amount: 0, captured_amount: 0 } });
    // The student's own endpoint: the failure and the cancellation of the announced booking, signed with the student's secret.
    const studentEvents = toStudent();
    expect(studentEvents.map((e) => e.type).sort()).toEqual(['booking.cancelled', 'payment.failed']);
    for (const e of studentEvents) expect(e.data).toMatchObject({ id, status: 'cancelled', payment_status: 'failed' });
    // Not with the instructor's secret: each endpoint signs with its own.
    const toStudentRaw = w.receiver.received.find((r) => r.path === '/student')!;
    expect(() => new Webhook(w.hook.secret).verify(toStudentRaw.body, toStudentRaw.headers as Record<string, string>)).toThrow();
  });
});

describe('payment.authorized on Stripe when the student finishes a saved card\'s hold in the browser', () => {
  const WEBHOOK_SECRET = 'whsec_test_stand_in_secret';
  const signer = new Stripe('sk_test_signer');
  let app: TestApp;
  let stripe: StripeStandIn;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    stripe = await startStripeStandIn(() => app.clock.now());
    app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z'), env: { STRIPE_SECRET_KEY: 'sk_test_stand_in', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await app?.close();
    await stripe?.close();
    await receiver?.close();
  });

  it('an off-session hold that needed 3-D Secure, completed with Stripe.js: Stripe\'s event confirms the hold and payment.authorized goes out', async () => {
    const inst = await publishedInstructor(app, { days: DAYS });
    const admin = await registerAdmin(app);
    const hook = (await call(app, 'POST', '/v1/me/webhooks', { token: inst.token, body: { url: receiver.url, events: PAYMENT_EVENTS } })).body as { secret: string };
    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const booked = await call(app, 'POST', '/v1/bookings', { token: s.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-15', start_time: '10:00', duration_minutes: 60, location_type: 'online' } });
    expect([booked.status, booked.body.payment_status]).toEqual([201, 'card_saved']);
    const id = booked.body.id as string;
    expect((await call(app, 'POST', '/v1/admin/test-clock', { token: admin.token, body: { advance_seconds: 10 * DAY } })).status).toBe(200);
    const waiting = (await call(app, 'GET', `/v1/bookings/${id}`, { token: s.token })).body;
    expect([waiting.status, waiting.payment_status]).toEqual(['confirmed', 'requires_action']);
    // The student's app confirms the PaymentIntent with Stripe.js (client_secret) and passes 3-D Secure; Stripe holds the card and tells the platform.
    expect(waiting.payment.client_secret).toMatch(/_secret_/);
    const pi = [...stripe.intents.values()].find((i) => i.metadata.booking_id === id)!;
    Object.assign(pi, { status: 'requires_capture', amount_capturable: pi.amount, off_session: false, last_payment_error: null, latest_charge: { id: 'ch_3ds', object: 'charge', amount: pi.amount, amount_captured: 0, amount_refunded: 0, payment_intent: pi.id, metadata: pi.metadata, payment_method_details: { card: { capture_before: Math.floor(Date.parse('2026-07-18T08:00:00Z') / 1000) } } } });
    const payload = JSON.stringify({ id: 'evt_3ds_off_session', object: 'event', type: 'payment_intent.amount_capturable_updated', created: Math.floor(Date.now() / 1000), data: { object: pi } });
    const applied = await call(app, 'POST', '/v1/payments/stripe/webhook', { raw: payload, headers: { 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) } });
    expect([applied.status, applied.body.outcome]).toEqual([200, 'applied']);
    await app.services.jobs.runDue();
    const shown = (await call(app, 'GET', `/v1/bookings/${id}`, { token: inst.token })).body;
    expect([shown.status, shown.payment_status, shown.payment.authorized_amount]).toEqual(['confirmed', 'authorized', 6000]);
    const events = receiver.received.map((r) => new Webhook(hook.secret).verify(r.body, r.headers as Record<string, string>) as WebhookEvent).filter((e) => e.data.id === id);
    expect(events.map((e) => e.type)).toEqual(['payment.authorized']);
    expect(events[0]!.data).toEqual(shown);
    // Stripe repeats itself (the same event, or a later one about the same hold): nothing more is announced.
    const replayed = await call(app, 'POST', '/v1/payments/stripe/webhook', { raw: payload, headers: { 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) } });
    expect(replayed.body.outcome).toBe('duplicate');
    const again = payload.replace('evt_3ds_off_session', 'evt_3ds_off_session_2');
    expect((await call(app, 'POST', '/v1/payments/stripe/webhook', { raw: again, headers: { 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload: again, secret: WEBHOOK_SECRET }) } })).body.outcome).toBe('ignored');
    await app.services.jobs.runDue();
    expect(receiver.received.filter((r) => JSON.parse(r.body).data.id === id)).toHaveLength(1);
  });
});
