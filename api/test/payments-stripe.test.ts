// Payments on Stripe: stripe-node talks to a local stand-in for Stripe's API (no internet), and
// webhook events are signed with stripe-node's test header helper.
import Stripe from 'stripe';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, publishedInstructor, registerAdmin, registerUser, startTestApp, type TestApp } from './harness.js';
import { startStripeStandIn, type StripeStandIn } from './stripe-stand-in.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';

const WEBHOOK_SECRET = 'whsec_test_stand_in_secret';
const DAYS = ['2026-07-03', '2026-07-06', '2026-07-15'].map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '18:00' }] }));
const signer = new Stripe('sk_test_signer');

/** An app on the Stripe processor, pointed at a fresh stand-in, with the helpers the tests share. */
function stripeApp() {
  const t = {} as {
    app: TestApp;
    stripe: StripeStandIn;
    inst: Awaited<ReturnType<typeof publishedInstructor>>;
    admin: { token: string };
  };
  beforeAll(async () => {
    t.stripe = await startStripeStandIn(() => t.app.clock.now());
    t.app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z'), env: { STRIPE_SECRET_KEY: 'sk_test_stand_in', STRIPE_PUBLISHABLE_KEY: 'pk_test_stand_in', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: t.stripe.url } });
    t.inst = await publishedInstructor(t.app, { days: DAYS });
    t.admin = await registerAdmin(t.app);
  });
  afterAll(async () => {
    await t.app?.close();
    await t.stripe?.close();
  });
  return {
    t,
    book: (token: string, date: string, start_time: string, headers: Record<string, string> = {}) =>
      call(t.app, 'POST', '/v1/bookings', { token, headers, body: { instructor_id: t.inst.id, service_id: t.inst.serviceId, date, start_time, duration_minutes: 60, location_type: 'online' } }),
    get: (token: string, id: string) => call(t.app, 'GET', `/v1/bookings/${id}`, { token }),
    advance: (seconds: number) => call(t.app, 'POST', '/v1/admin/test-clock', { token: t.admin.token, body: { advance_seconds: seconds } }),
    webhook: (event: object, secret = WEBHOOK_SECRET) => {
      const payload = JSON.stringify(event);
      return call(t.app, 'POST', '/v1/payments/stripe/webhook', { raw: payload, headers: { 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret }) } });
    },
    event: (id: string, type: string, object: unknown) => ({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object } }),
    creates: () => t.stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents'),
  };
}

describe('payments on Stripe (local stand-in)', () => {
  const h = stripeApp();
  const { book, get, advance, webhook, event, creates } = h;
  let app: TestApp;
  let stripe: StripeStandIn;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  beforeAll(() => {
    ({ app, stripe, inst } = h.t);
  });

  it('saves a card through Stripe and holds, then captures, with an idempotency key per booking and step', async () => {
    const s = await registerUser(app, 'student');
    const setup = await call(app, 'POST', '/v1/me/payment-methods/setup', { token: s.token });
    // Stripe.js in the browser (the widget's pay step) needs the platform's publishable key.
    expect(setup.body).toEqual({ client_secret: expect.stringMatching(/^seti_.+_secret_/), processor: 'stripe', publishable_key: 'pk_test_stand_in' });
    const card = (await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data[0];
    expect(card).toMatchObject({ id: expect.stringMatching(/^pm_/), brand: 'visa', last4: '4242', is_default: true });
    const res = await book(s.token, '2026-07-03', '10:00');
    expect([res.status, res.body.status, res.body.payment_status, res.body.payment.capture_before]).toEqual([201, 'confirmed', 'authorized', '2026-07-08T08:00:00.000Z']);
    const create = creates().at(-1)!;
    expect(create.idempotencyKey).toBe(`booking:${res.body.id}:authorize:1`);
    expect(create.form).toMatchObject({ amount: '6000', currency: 'eur', capture_method: 'manual', confirm: 'true', payment_method: card.id, metadata: { booking_id: res.body.id } });
    expect(create.form.off_session).toBeUndefined();
    app.clock.set(new Date('2026-07-03T09:00:00Z'));
    const done = await call(app, 'POST', `/v1/bookings/${res.body.id}/complete`, { token: inst.token });
    expect([done.body.payment_status, done.body.payment.captured_amount]).toEqual(['captured', 6000]);
    expect(stripe.requests.at(-1)).toMatchObject({ path: expect.stringMatching(/^\/v1\/payment_intents\/pi_\w+\/capture$/), idempotencyKey: `booking:${res.body.id}:capture`, form: { amount_to_capture: '6000' } });
    expect([...stripe.intents.values()].at(-1)!.status).toBe('succeeded');
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
  });

  it('a card saved in the browser (SetupIntent) arrives by setup_intent.succeeded and joins the student\'s cards, once', async () => {
    const s = await registerUser(app, 'student', { card: false });
    const setup = await call(app, 'POST', '/v1/me/payment-methods/setup', { token: s.token });
    expect(setup.status).toBe(201);
    const created = stripe.requests.filter((r) => r.path === '/v1/setup_intents').at(-1)!;
    const seti = setup.body.client_secret.split('_secret_')[0];
    // Stripe.js confirmed the SetupIntent with the student's card; Stripe tells the platform.
    const succeeded = { id: seti, object: 'setup_intent', status: 'succeeded', customer: created.form.customer, payment_method: 'pm_card_visa', usage: 'off_session' };
    const first = await webhook(event('evt_seti_1', 'setup_intent.succeeded', succeeded));
    expect([first.status, first.body.outcome]).toEqual([200, 'applied']);
    expect((await webhook(event('evt_seti_1', 'setup_intent.succeeded', succeeded))).body.outcome).toBe('duplicate');
    await app.services.jobs.runDue();
    const cards = (await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data;
    expect(cards).toEqual([{ id: expect.stringMatching(/^pm_/), brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, is_default: true }]);
    expect(stripe.requests.filter((r) => r.path === '/v1/payment_methods/pm_card_visa/attach' && r.form.customer === created.form.customer)).toHaveLength(1);
    // A SetupIntent of a customer the platform does not know adds nothing to anyone.
    expect((await webhook(event('evt_seti_2', 'setup_intent.succeeded', { ...succeeded, id: 'seti_unknown', customer: 'cus_somebody_else' }))).body.outcome).toBe('applied');
    await app.services.jobs.runDue();
    expect((await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data).toHaveLength(1);
    // The card pays for a lesson.
    const res = await book(s.token, '2026-07-06', '16:00');
    expect([res.status, res.body.payment_status]).toEqual([201, 'authorized']);
    expect(creates().at(-1)!.form.payment_method).toBe(cards[0].id);
  });

  it('the same card saved twice (the browser and the webhook both report it) stays one card, and the default', async () => {
    const s = await registerUser(app, 'student');
    const [card] = (await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data;
    const again = await call(app, 'POST', '/v1/me/payment-methods', { token: s.token, body: { payment_method: card.id, default: true } });
    expect([again.status, again.body.id, again.body.is_default]).toEqual([201, card.id, true]);
    expect((await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data).toEqual([{ ...card, is_default: true }]);
  });

  it('saved card -> off-session authorization when due -> capture', async () => {
    const s = await registerUser(app, 'student');
    const res = await book(s.token, '2026-07-15', '10:00');
    expect(res.body.payment_status).toBe('card_saved');
    const before = creates().length;
    expect((await advance(10 * 86_400)).status).toBe(200);
    expect(creates()).toHaveLength(before + 1);
    expect(creates().at(-1)!.form.off_session).toBe('true');
    const held = (await get(s.token, res.body.id)).body;
    expect([held.payment_status, held.payment.capture_before]).toEqual(['authorized', '2026-07-16T02:00:00.000Z']);
    await advance(4 * 86_400 + 3600);
    const done = await call(app, 'POST', `/v1/bookings/${res.body.id}/complete`, { token: inst.token });
    expect(done.body.payment_status).toBe('captured');
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
  });

  it('off-session authentication_required: requires_action kept for the grace; fixed on-session -> authorized, not fixed -> cancelled and the intent canceled', async () => {
    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const fixed = await book(s.token, '2026-07-15', '13:00'); // 11:00Z
    const lapsed = await book(s.token, '2026-07-15', '15:00'); // 13:00Z
    expect([fixed.body.payment_status, lapsed.body.payment_status]).toEqual(['card_saved', 'card_saved']);
    const before = creates().length;
    expect((await advance(10 * 86_400 + 5 * 3600)).status).toBe(200); // both authorize_at passed
    expect(creates()).toHaveLength(before + 2);
    const intentOf = (id: string) => [...stripe.intents.values()].find((i) => i.metadata.booking_id === id)!;
    expect([intentOf(fixed.body.id).status, intentOf(fixed.body.id).last_payment_error?.code, intentOf(fixed.body.id).off_session]).toEqual(['requires_payment_method', 'authentication_required', true]);
    const waiting = (await get(s.token, fixed.body.id)).body;
    expect([waiting.status, waiting.payment_status, waiting.payment.action_expires_at]).toEqual(['confirmed', 'requires_action', '2026-07-12T13:00:00.000Z']);
    // The student comes back within the grace and confirms on-session with the card.
    const card = (await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data[0];
    const ok = await call(app, 'POST', `/v1/bookings/${fixed.body.id}/confirm-payment`, { token: s.token, body: { payment_method_id: card.id } });
    expect([ok.status, ok.body.status, ok.body.payment_status, ok.body.payment.authorized_amount]).toEqual([200, 'confirmed', 'authorized', 6000]);
    expect(stripe.requests.at(-1)).toMatchObject({ path: `/v1/payment_intents/${intentOf(fixed.body.id).id}/confirm`, idempotencyKey: `booking:${fixed.body.id}:confirm:1:${card.id}` });
    expect(intentOf(fixed.body.id).status).toBe('requires_capture');
    await advance(25 * 3600);
    expect((await get(s.token, fixed.body.id)).body).toMatchObject({ status: 'confirmed', payment_status: 'authorized' });
    expect((await get(s.token, lapsed.body.id)).body).toMatchObject({ status: 'cancelled', payment_status: 'failed' });
    expect(intentOf(lapsed.body.id).status).toBe('canceled');
    expect(creates()).toHaveLength(before + 2);
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
  });

  it('declined: 402 and no booking; 3-D Secure: confirmed by the signed webhook, a replay and a bad signature change nothing', async () => {
    const declined = await registerUser(app, 'student', { card: 'pm_card_chargeDeclined' });
    const no = await book(declined.token, '2026-07-06', '09:00');
    expect([no.status, no.body.code]).toEqual([402, 'payment_declined']);

    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const res = await book(s.token, '2026-07-06', '09:00');
    expect([res.status, res.body.status, res.body.payment_status]).toEqual([201, 'pending', 'requires_action']);
    const pi = [...stripe.intents.values()].find((i) => i.metadata.booking_id === res.body.id)!;
    expect(res.body.payment.client_secret).toBe(pi.client_secret);
    // The student completes 3-D Secure in the browser (Stripe.js); Stripe holds the card and tells us.
    Object.assign(pi, { status: 'requires_capture', amount_capturable: pi.amount, latest_charge: { id: 'ch_1', object: 'charge', amount: pi.amount, amount_captured: 0, amount_refunded: 0, payment_intent: pi.id, metadata: pi.metadata, payment_method_details: { card: { capture_before: Math.floor(Date.parse('2026-07-08T08:00:00Z') / 1000) } } } });
    const forged = await webhook(event('evt_forged', 'payment_intent.amount_capturable_updated', pi), 'whsec_someone_else');
    expect([forged.status, forged.body.code]).toEqual([400, 'invalid_signature']);
    const unsigned = await call(app, 'POST', '/v1/payments/stripe/webhook', { raw: JSON.stringify(event('evt_unsigned', 'payment_intent.amount_capturable_updated', pi)) });
    expect([unsigned.status, unsigned.body.code]).toEqual([400, 'invalid_signature']);
    expect((await get(s.token, res.body.id)).body.status).toBe('pending');

    const ok = await webhook(event('evt_held_1', 'payment_intent.amount_capturable_updated', pi));
    expect([ok.status, ok.body.outcome]).toEqual([200, 'applied']);
    const confirmed = (await get(s.token, res.body.id)).body;
    expect([confirmed.status, confirmed.payment_status, confirmed.payment.capture_before]).toEqual(['confirmed', 'authorized', '2026-07-08T08:00:00.000Z']);
    expect((await webhook(event('evt_held_1', 'payment_intent.amount_capturable_updated', pi))).body.outcome).toBe('duplicate');
    // The grace period ends later: the booking stays.
    await advance(20 * 60);
    expect((await get(s.token, res.body.id)).body.status).toBe('confirmed');
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
  });

  it('out-of-order events: a capture reported before the hold, and a late hold event, end captured', async () => {
    const s = await registerUser(app, 'student');
    const res = await book(s.token, '2026-07-06', '11:00');
    const pi = [...stripe.intents.values()].find((i) => i.metadata.booking_id === res.body.id)!;
    const held = structuredClone(pi);
    // Captured in Stripe's dashboard: the succeeded event arrives first, the older hold event after it.
    Object.assign(pi, { status: 'succeeded', amount_capturable: 0, amount_received: 6000 });
    expect((await webhook(event('evt_ooo_2', 'payment_intent.succeeded', pi))).body.outcome).toBe('applied');
    expect((await webhook(event('evt_ooo_1', 'payment_intent.amount_capturable_updated', held))).body.outcome).toBe('ignored');
    const after = (await get(s.token, res.body.id)).body;
    expect([after.payment_status, after.payment.captured_amount]).toEqual(['captured', 6000]);
    // A refund made in the dashboard arrives as charge.refunded.
    const refunded = await webhook(event('evt_ooo_3', 'charge.refunded', { ...pi.latest_charge, amount_captured: 6000, amount_refunded: 6000 }));
    expect(refunded.body.outcome).toBe('applied');
    expect((await get(s.token, res.body.id)).body.payment_status).toBe('refunded');
  });

  it('50 concurrent replays of one Idempotency-Key: one booking, one PaymentIntent', async () => {
    const s = await registerUser(app, 'student');
    const before = creates().length;
    const results = await Promise.all(Array.from({ length: 50 }, () => book(s.token, '2026-07-03', '15:00', { 'Idempotency-Key': 'replay-storm-1' })));
    expect(results.filter((r) => r.status !== 201)).toEqual([]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.every((r) => r.body.payment_status === 'authorized')).toBe(true);
    expect(creates()).toHaveLength(before + 1);
  });

  it('a booking storm with payments: one booking, one hold', async () => {
    const students = await Promise.all(Array.from({ length: 30 }, () => registerUser(app, 'student')));
    const before = creates().length;
    const results = await Promise.all(students.map((s) => book(s.token, '2026-07-03', '16:00')));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(29);
    expect(creates()).toHaveLength(before + 1);
    const held = [...stripe.intents.values()].filter((i) => i.status === 'requires_capture' && i.metadata.booking_id === results.find((r) => r.status === 201)!.body.id);
    expect(held).toHaveLength(1);
  });
});

describe('Stripe down (local stand-in)', () => {
  const h = stripeApp();
  const { book, get, advance } = h;
  let app: TestApp;
  let stripe: StripeStandIn;
  beforeAll(() => {
    ({ app, stripe } = h.t);
  });

  it('Stripe down: a clean retryable 503, no booking, the time free; a lost answer leaves no orphan hold after reconciliation', async () => {
    const s = await registerUser(app, 'student');
    stripe.setDown(true);
    const down = await book(s.token, '2026-07-06', '13:00');
    expect([down.status, down.body.code, down.headers.get('retry-after')]).toEqual([503, 'payment_processor_unavailable', '5']);
    stripe.setDown(false);
    // The answer to the hold is lost in the network: Stripe made the hold, the platform never heard.
    stripe.setDown('drop');
    const lost = await book(s.token, '2026-07-06', '13:00');
    expect([lost.status, lost.body.code]).toEqual([503, 'payment_processor_unavailable']);
    stripe.setDown(false);
    const mine = (await call(app, 'GET', '/v1/bookings?role=student', { token: s.token })).body.data.map((x: { id: string }) => x.id) as string[];
    expect(mine).toHaveLength(2);
    const orphan = [...stripe.intents.values()].find((i) => mine.includes(i.metadata.booking_id!))!;
    const bookingId = orphan.metadata.booking_id!;
    expect(orphan.status).toBe('requires_capture');
    // The time is free at once for anyone.
    const other = await registerUser(app, 'student');
    const retried = await book(other.token, '2026-07-06', '13:00');
    expect(retried.status).toBe(201);
    // Reconciliation (every minute, for steps older than 2 minutes) cancels the hold the lost call made.
    await advance(3 * 60);
    await advance(60);
    expect(orphan.status).toBe('canceled');
    expect((await get(s.token, bookingId)).body).toMatchObject({ status: 'cancelled', payment_status: 'failed' });
  });

  /** The keys of the booking's requests to one Stripe path (a retry repeats a key; one key is one effect). */
  const keysTo = (suffix: string, intentId: string) => [...new Set(stripe.requests.filter((r) => r.method === 'POST' && r.path === `/v1/payment_intents/${intentId}${suffix}`).map((r) => r.idempotencyKey))];
  const intentOf = (bookingId: string) => [...stripe.intents.values()].find((i) => i.metadata.booking_id === bookingId)!;
  const history = async (bookingId: string, type: string) =>
    (await app.db.sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM booking_events WHERE booking_id = :id AND type = :type', { replacements: { id: bookingId, type }, type: QueryTypes.SELECT }))[0]!.n;
  /** Reconciliation runs every minute and finishes steps pending for over 2 minutes. */
  const reconcile = async () => {
    await advance(3 * 60);
    await advance(60);
  };

  it('a release whose answer was lost (student cancels early) is finished by reconciliation, once', async () => {
    const s = await registerUser(app, 'student');
    const b = (await book(s.token, '2026-07-06', '10:00')).body;
    expect(b.payment_status).toBe('authorized');
    stripe.setDown('drop');
    const cancelled = await call(app, 'POST', `/v1/bookings/${b.id}/cancel`, { token: s.token, body: { reason: 'Plans changed' } });
    stripe.setDown(false);
    // The cancellation stands; the hold's release is not known to have happened.
    expect([cancelled.status, cancelled.body.status, cancelled.body.payment_status, cancelled.body.payment.authorized_amount]).toEqual([200, 'cancelled', 'authorized', 6000]);
    expect(intentOf(b.id).status).toBe('canceled'); // it did happen at Stripe
    await reconcile();
    expect((await get(s.token, b.id)).body).toMatchObject({ status: 'cancelled', payment_status: 'released', payment: { authorized_amount: 0, captured_amount: 0 } });
    expect(keysTo('/cancel', intentOf(b.id).id)).toEqual([`booking:${b.id}:release:1`]);
  });

  it('a capture, then a refund, whose answers were lost are each finished by reconciliation, once', async () => {
    const s = await registerUser(app, 'student');
    const b = (await book(s.token, '2026-07-03', '12:00')).body; // 10:00Z
    expect(b.payment_status).toBe('authorized');
    await advance(2 * 86_400 + 2 * 3600); // the lesson has started
    stripe.setDown('drop');
    const completed = await call(app, 'POST', `/v1/bookings/${b.id}/complete`, { token: h.t.inst.token });
    stripe.setDown(false);
    expect([completed.status, completed.body.status, completed.body.payment.captured_amount]).toEqual([200, 'completed', 0]);
    await reconcile();
    expect((await get(s.token, b.id)).body).toMatchObject({ payment_status: 'captured', payment: { captured_amount: 6000 } });
    const pi = intentOf(b.id);
    expect([pi.status, pi.amount_received, keysTo('/capture', pi.id)]).toEqual(['succeeded', 6000, [`booking:${b.id}:capture`]]);
    expect(Number(await history(b.id, 'payment_captured'))).toBe(1);

    stripe.setDown('drop');
    const refund = await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: h.t.admin.token });
    stripe.setDown(false);
    expect([refund.status, refund.body.code]).toEqual([503, 'payment_processor_unavailable']);
    expect((await get(s.token, b.id)).body.payment.refunded_amount).toBe(0);
    await reconcile();
    expect((await get(s.token, b.id)).body).toMatchObject({ payment_status: 'refunded', payment: { refunded_amount: 6000 } });
    const refunds = stripe.requests.filter((r) => r.path === '/v1/refunds' && r.form.payment_intent === pi.id);
    expect([...new Set(refunds.map((r) => r.idempotencyKey))]).toEqual([`booking:${b.id}:refund:0:6000`]);
    expect(pi.latest_charge!.amount_refunded).toBe(6000); // refunded once, not twice
    expect(Number(await history(b.id, 'payment_refunded'))).toBe(1);
  });

  it('the process dies between the booking\'s commit and its hold: reconciliation holds it, one PaymentIntent', async () => {
    const s = await registerUser(app, 'student');
    const crash = vi.spyOn(app.services.payments, 'authorize').mockRejectedValueOnce(new Error('the process died'));
    const res = await book(s.token, '2026-07-06', '15:00');
    crash.mockRestore();
    expect(res.status).toBe(500);
    const [orphan] = (await call(app, 'GET', '/v1/bookings?role=student', { token: s.token })).body.data as { id: string; status: string }[];
    expect(orphan!.status).toBe('pending');
    expect(h.creates().filter((r) => r.form.metadata?.booking_id === orphan!.id)).toHaveLength(0);
    await advance(3 * 60);
    await advance(60);
    expect((await get(s.token, orphan!.id)).body).toMatchObject({ status: 'confirmed', payment_status: 'authorized' });
    const creates = h.creates().filter((r) => r.form.metadata?.booking_id === orphan!.id);
    expect(creates.map((r) => r.idempotencyKey)).toEqual([`booking:${orphan!.id}:authorize:1`]);
    expect([...stripe.intents.values()].filter((i) => i.metadata.booking_id === orphan!.id).map((i) => i.status)).toEqual(['requires_capture']);
  });

});

describe('cancellations, no-shows and 3-D Secure timeout on Stripe (local stand-in)', () => {
  const h = stripeApp();
  const { book, get, advance } = h;
  const intentOf = (bookingId: string) => [...h.t.stripe.intents.values()].find((i) => i.metadata.booking_id === bookingId)!;
  const cancel = (token: string, id: string) => call(h.t.app, 'POST', `/v1/bookings/${id}/cancel`, { token, body: { reason: 'Plans changed' } });
  const at = (iso: string) => h.t.app.clock.set(new Date(iso));

  it('student early: the hold is released at Stripe, nothing captured', async () => {
    at('2026-07-01T08:00:00Z');
    const s = await registerUser(h.t.app, 'student');
    const b = (await book(s.token, '2026-07-06', '09:00')).body;
    expect(b.payment_status).toBe('authorized');
    const res = await cancel(s.token, b.id);
    expect([res.body.status, res.body.payment_status, res.body.payment.captured_amount]).toEqual(['cancelled', 'released', 0]);
    expect(intentOf(b.id).status).toBe('canceled');
  });

  it('student late: the 50 % fee is captured at Stripe; instructor late: released in full', async () => {
    at('2026-07-01T08:00:00Z');
    const s = await registerUser(h.t.app, 'student');
    const late = (await book(s.token, '2026-07-03', '09:00')).body; // 07:00Z on the 3rd
    const other = (await book(s.token, '2026-07-03', '12:00')).body;
    at('2026-07-02T12:00:00Z'); // 19 hours before
    const res = await cancel(s.token, late.id);
    expect([res.body.payment_status, res.body.payment.captured_amount, res.body.payment.fee_amount]).toEqual(['captured', 3000, 3000]);
    expect([intentOf(late.id).status, intentOf(late.id).amount_received]).toEqual(['succeeded', 3000]);
    const byInstructor = await cancel(h.t.inst.token, other.id);
    expect([byInstructor.body.payment_status, byInstructor.body.payment.captured_amount]).toEqual(['released', 0]);
    expect(intentOf(other.id).status).toBe('canceled');
  });

  it('no-show: the no-show fee (100 % by default) is captured at Stripe', async () => {
    at('2026-07-01T08:00:00Z');
    const s = await registerUser(h.t.app, 'student');
    const b = (await book(s.token, '2026-07-06', '14:00')).body;
    at('2026-07-06T13:00:00Z');
    const res = await call(h.t.app, 'POST', `/v1/bookings/${b.id}/no-show`, { token: h.t.inst.token });
    expect([res.body.status, res.body.payment_status, res.body.payment.captured_amount, res.body.payment.fee_amount]).toEqual(['no_show', 'captured', 6000, 6000]);
    expect([intentOf(b.id).status, intentOf(b.id).amount_received]).toEqual(['succeeded', 6000]);
  });

  it('3-D Secure not completed within 15 minutes: cancelled, payment failed, the intent canceled, the time free', async () => {
    at('2026-07-01T08:00:00Z');
    const s = await registerUser(h.t.app, 'student', { card: 'pm_card_authenticationRequired' });
    const b = (await book(s.token, '2026-07-06', '16:00')).body;
    expect([b.status, b.payment_status]).toEqual(['pending', 'requires_action']);
    expect((await advance(16 * 60)).status).toBe(200);
    expect((await get(s.token, b.id)).body).toMatchObject({ status: 'cancelled', payment_status: 'failed' });
    expect(intentOf(b.id).status).toBe('canceled');
    const again = await book((await registerUser(h.t.app, 'student')).token, '2026-07-06', '16:00');
    expect([again.status, again.body.payment_status]).toEqual([201, 'authorized']);
  });
});

describe('STRIPE_PUBLISHABLE_KEY', () => {
  const base = { DATA_DIR: '/tmp/ii-stripe-config', JWT_SECRET: 'x'.repeat(32) };
  it('goes with the Stripe settings, is optional, and must match the secret key and its mode', () => {
    expect(loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_live_a', STRIPE_PUBLISHABLE_KEY: 'pk_live_b' }).stripe?.publishableKey).toBe('pk_live_b');
    expect(loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_a' }).stripe).toEqual({ secretKey: 'sk_test_a', webhookSecret: undefined, apiUrl: undefined, publishableKey: undefined });
    expect(() => loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_PUBLISHABLE_KEY: 'sk_test_b' })).toThrow(/STRIPE_PUBLISHABLE_KEY: must be a Stripe publishable key/);
    expect(() => loadConfig({ ...base, STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_PUBLISHABLE_KEY: 'pk_live_b' })).toThrow(/same mode/);
    expect(() => loadConfig({ ...base, STRIPE_PUBLISHABLE_KEY: 'pk_test_b' })).toThrow(ConfigError);
  });
});
