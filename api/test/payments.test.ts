// The two-step payment through the offline processor (no Stripe keys): cards, holds at booking,
// saved cards authorized off-session before the lesson, 3-D Secure, captures, the cancellation
// policy, no-show fees, refunds and the test clock.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, publishedInstructor, registerAdmin, registerUser, startTestApp, type TestApp } from './harness.js';

const DAYS = ['2026-07-03', '2026-07-06', '2026-07-07', '2026-07-15', '2026-07-16', '2026-07-17'].map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '18:00' }] }));

async function setup(app: TestApp) {
  const inst = await publishedInstructor(app, { days: DAYS, hourly_rate: 6000 });
  const admin = await registerAdmin(app);
  const book = (student: { token: string }, date: string, start_time: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    call(app, 'POST', '/v1/bookings', { token: student.token, headers, body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 60, location_type: 'online', ...extra } });
  const advance = async (seconds: number) => {
    const res = await call(app, 'POST', '/v1/admin/test-clock', { token: admin.token, body: { advance_seconds: seconds } });
    expect(res.status).toBe(200);
    return res.body.now as string;
  };
  const get = (token: string, id: string) => call(app, 'GET', `/v1/bookings/${id}`, { token });
  return { inst, admin, book, advance, get };
}

/** The student's "fix your payment" mails (parsed), oldest first. */
async function actionMails(app: TestApp, email: string): Promise<string[]> {
  await app.services.outbox.flush();
  const files = (await readdir(app.outboxDir).catch(() => [] as string[])).filter((f) => f.includes('-payment-action-required-') && f.endsWith('.eml')).sort();
  const parsed = await Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(app.outboxDir, f)))));
  return parsed.filter((m) => (Array.isArray(m.to) ? m.to.map((a) => a.text).join(',') : (m.to?.text ?? '')).includes(email)).map((m) => m.text ?? '');
}

/** The link of the mail, as a path on the app (the mail has PUBLIC_URL in front of it). */
function linkIn(mail: string, bookingId: string): string {
  const found = mail.match(new RegExp(`https?://[^\\s/]+(/bookings/${bookingId}/payment\\?t=[^\\s]+)`));
  expect(found, 'the mail has a link to the booking\'s payment page').not.toBeNull();
  return found![1]!;
}

/** The booking's calls that reached the offline processor: their idempotency keys (a repeated key is one call). */
async function processorKeys(app: TestApp, bookingId: string): Promise<string[]> {
  const rows = await app.db.sequelize.query<{ idempotency_key: string }>('SELECT idempotency_key FROM offline_requests WHERE idempotency_key LIKE :p', { replacements: { p: `booking:${bookingId}:%` }, type: QueryTypes.SELECT });
  return rows.map((r) => r.idempotency_key.slice(`booking:${bookingId}:`.length)).sort();
}

/** Submits the payment page's form like a browser does. */
const submitForm = (app: TestApp, link: string, fields: Record<string, string>) =>
  fetch(`${app.url}${link.split('?')[0]}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ t: decodeURIComponent(link.split('?t=')[1]!), ...fields }) }).then(async (r) => ({ status: r.status, text: await r.text() }));

describe('saved cards', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app?.close());

  it('saves, lists, defaults and removes cards; refuses unknown ids and admins', async () => {
    const s = await registerUser(app, 'student', { card: false });
    const setup = await call(app, 'POST', '/v1/me/payment-methods/setup', { token: s.token });
    expect(setup.status).toBe(201);
    // Nothing for Stripe.js offline: no publishable_key.
    expect(setup.body).toEqual({ client_secret: expect.stringMatching(/^seti_/), processor: 'offline' });
    expect((await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body).toEqual({ data: [] });
    const visa = await call(app, 'POST', '/v1/me/payment-methods', { token: s.token, body: { payment_method: 'pm_card_visa' } });
    expect(visa.status).toBe(201);
    expect(visa.body).toEqual({ id: expect.stringMatching(/^pm_off_/), brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, is_default: true });
    const second = await call(app, 'POST', '/v1/me/payment-methods', { token: s.token, body: { payment_method: 'pm_card_authenticationRequired', default: true } });
    expect([second.body.last4, second.body.is_default]).toEqual(['3184', true]);
    const list = (await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data;
    expect(list.map((c: { last4: string; is_default: boolean }) => [c.last4, c.is_default]).sort()).toEqual([['3184', true], ['4242', false]]);
    const bad = await call(app, 'POST', '/v1/me/payment-methods', { token: s.token, body: { payment_method: 'pm_card_unknown' } });
    expect([bad.status, bad.body.code]).toEqual([422, 'invalid_payment_method']);
    expect((await call(app, 'DELETE', `/v1/me/payment-methods/${second.body.id}`, { token: s.token })).status).toBe(204);
    expect((await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data).toEqual([{ ...visa.body, is_default: true }]);
    expect((await call(app, 'DELETE', `/v1/me/payment-methods/${second.body.id}`, { token: s.token })).body.code).toBe('not_found');
    // Another user's card is not yours.
    const other = await registerUser(app, 'student', { card: false });
    expect((await call(app, 'DELETE', `/v1/me/payment-methods/${visa.body.id}`, { token: other.token })).status).toBe(404);
    const admin = await registerAdmin(app);
    expect((await call(app, 'GET', '/v1/me/payment-methods', { token: admin.token })).status).toBe(403);
  });
});

describe('booking a paid lesson', () => {
  let app: TestApp;
  let t: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z') });
    t = await setup(app);
  });
  afterAll(async () => app?.close());

  it('without a card: 422 payment_method_required and nothing held', async () => {
    const s = await registerUser(app, 'student', { card: false });
    const res = await t.book(s, '2026-07-03', '09:00');
    expect([res.status, res.body.code]).toEqual([422, 'payment_method_required']);
    const other = await registerUser(app, 'student');
    expect((await t.book(other, '2026-07-03', '09:00')).status).toBe(201);
  });

  it('holds the card for a lesson within the hold window, then captures the price when completed', async () => {
    const s = await registerUser(app, 'student');
    const res = await t.book(s, '2026-07-03', '11:00');
    expect(res.status).toBe(201);
    expect([res.body.status, res.body.payment_status]).toEqual(['confirmed', 'authorized']);
    expect(res.body.payment).toEqual({
      amount: 6000,
      currency: 'EUR',
      authorized_amount: 6000,
      captured_amount: 0,
      refunded_amount: 0,
      fee_amount: 0,
      authorize_at: null,
      capture_before: '2026-07-08T08:00:00.000Z',
      action_expires_at: null,
    });
    const early = await call(app, 'POST', `/v1/bookings/${res.body.id}/complete`, { token: t.inst.token });
    expect(early.body.code).toBe('invalid_transition');
    app.clock.set(new Date('2026-07-03T10:00:00Z'));
    const done = await call(app, 'POST', `/v1/bookings/${res.body.id}/complete`, { token: t.inst.token });
    expect([done.status, done.body.status, done.body.payment_status, done.body.payment.captured_amount, done.body.payment.authorized_amount]).toEqual([200, 'completed', 'captured', 6000, 6000]);
  });

  it('a declined card: 402 payment_declined, no active booking, the time stays free', async () => {
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const s = await registerUser(app, 'student', { card: 'pm_card_chargeDeclined' });
    const res = await t.book(s, '2026-07-06', '10:00');
    expect([res.status, res.body.code]).toEqual([402, 'payment_declined']);
    const mine = (await call(app, 'GET', '/v1/bookings?role=student', { token: s.token })).body.data;
    expect(mine.map((b: { status: string; payment_status: string }) => [b.status, b.payment_status])).toEqual([['cancelled', 'failed']]);
    expect((await t.book(await registerUser(app, 'student'), '2026-07-06', '10:00')).status).toBe(201);
  });

  it('3-D Secure: pending with the client secret for the student only, confirmed once the student completes it', async () => {
    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const res = await t.book(s, '2026-07-06', '12:00');
    expect([res.status, res.body.status, res.body.payment_status]).toEqual([201, 'pending', 'requires_action']);
    expect(res.body.payment.client_secret).toMatch(/^pi_off_.+_secret_/);
    expect(res.body.payment.action_expires_at).toBe('2026-07-01T08:15:00.000Z');
    expect((await t.get(t.inst.token, res.body.id)).body.payment.client_secret).toBeUndefined();
    // Held time: nobody else can take it meanwhile.
    expect((await t.book(await registerUser(app, 'student'), '2026-07-06', '12:00')).body.code).toBe('instructor_conflict');
    expect((await call(app, 'POST', `/v1/bookings/${res.body.id}/confirm-payment`, { token: t.inst.token })).status).toBe(403);
    const confirmed = await call(app, 'POST', `/v1/bookings/${res.body.id}/confirm-payment`, { token: s.token });
    expect([confirmed.status, confirmed.body.status, confirmed.body.payment_status, confirmed.body.payment.authorized_amount]).toEqual([200, 'confirmed', 'authorized', 6000]);
    expect(confirmed.body.payment.client_secret).toBeUndefined();
    // Nothing left to confirm.
    expect((await call(app, 'POST', `/v1/bookings/${res.body.id}/confirm-payment`, { token: s.token })).body.code).toBe('invalid_transition');
    await t.advance(20 * 60);
    expect((await t.get(s.token, res.body.id)).body.status).toBe('confirmed');
  });

  it('3-D Secure not completed within the grace period: cancelled, payment failed, time freed', async () => {
    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const res = await t.book(s, '2026-07-06', '14:00');
    expect(res.body.payment_status).toBe('requires_action');
    await t.advance(14 * 60);
    expect((await t.get(s.token, res.body.id)).body.status).toBe('pending');
    await t.advance(2 * 60);
    const after = await t.get(s.token, res.body.id);
    expect([after.body.status, after.body.payment_status, after.body.payment.authorized_amount]).toEqual(['cancelled', 'failed', 0]);
    expect((await t.book(await registerUser(app, 'student'), '2026-07-06', '14:00')).status).toBe(201);
  });
});

describe('a lesson further out: card saved, authorized off-session before it', () => {
  let app: TestApp;
  let t: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z') });
    t = await setup(app);
  });
  afterAll(async () => app?.close());

  it('card_saved -> authorized (test clock) -> captured', async () => {
    const s = await registerUser(app, 'student');
    const res = await t.book(s, '2026-07-15', '10:00'); // 08:00Z, 14 days out
    expect([res.status, res.body.status, res.body.payment_status]).toEqual([201, 'confirmed', 'card_saved']);
    expect(res.body.payment).toMatchObject({ authorized_amount: 0, authorize_at: '2026-07-11T08:00:00.000Z', capture_before: null });
    await t.advance(10 * 86_400 - 60); // a minute before authorize_at
    expect((await t.get(s.token, res.body.id)).body.payment_status).toBe('card_saved');
    await t.advance(60);
    const held = (await t.get(s.token, res.body.id)).body;
    expect([held.payment_status, held.payment.authorized_amount, held.payment.capture_before]).toEqual(['authorized', 6000, '2026-07-16T02:00:00.000Z']);
    await t.advance(4 * 86_400 + 3600);
    const done = await call(app, 'POST', `/v1/bookings/${res.body.id}/complete`, { token: t.inst.token });
    expect([done.body.payment_status, done.body.payment.captured_amount]).toEqual(['captured', 6000]);
  });
});

describe('an off-session authorization that fails', () => {
  let app: TestApp;
  let t: Awaited<ReturnType<typeof setup>>;
  const mailsTo = async (email: string, template: string) => {
    await app.services.outbox.flush();
    const files = (await readdir(app.outboxDir).catch(() => [] as string[])).filter((f) => f.includes(`-${template}-`));
    const texts = await Promise.all(files.map((f) => readFile(path.join(app.outboxDir, f), 'utf8')));
    return texts.filter((m) => m.includes(`To: ${email}`));
  };
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z') });
    t = await setup(app);
  });
  afterAll(async () => app?.close());

  it('mails the student a link, and recovers when the student pays with another card', async () => {
    const s = await registerUser(app, 'student', { card: 'pm_card_chargeDeclined' });
    const res = await t.book(s, '2026-07-15', '10:00');
    expect(res.body.payment_status).toBe('card_saved');
    await t.advance(10 * 86_400);
    const failed = (await t.get(s.token, res.body.id)).body;
    expect([failed.status, failed.payment_status, failed.payment.action_expires_at]).toEqual(['confirmed', 'requires_action', '2026-07-12T08:00:00.000Z']);
    const mails = await actionMails(app, s.email);
    expect(mails).toHaveLength(1);
    // The mail's link opens a page (no sign-in: the link is signed) about this lesson and how to pay.
    const link = linkIn(mails[0]!, res.body.id);
    const opened = await call(app, 'GET', link);
    expect([opened.status, opened.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(opened.body).toContain('Finish the payment for your lesson');
    expect(opened.body).toContain('<strong>Piano</strong> lesson');
    expect(opened.body).toContain('2026-07-15, 10:00–11:00');
    expect(opened.body).toContain('60.00 EUR');
    expect(opened.body).toContain('Sun, 12 Jul 2026 08:00:00 GMT');
    expect(opened.body).toContain('visa ending in 0002 (default)');
    expect(opened.body).toContain(`/v1/bookings/${res.body.id}/confirm-payment`);
    // A link changed by hand, or another booking's, opens nothing.
    expect((await call(app, 'GET', `${link.slice(0, -2)}xx`)).status).toBe(404);
    expect((await call(app, 'GET', `/bookings/${res.body.id}/payment`)).status).toBe(404);
    // The page's form with the same card: declined again, said on the page.
    const declinedAgain = await submitForm(app, link, {});
    expect(declinedAgain.status).toBe(402);
    expect(declinedAgain.text).toContain('The card was declined. Try another card.');
    const visa = await call(app, 'POST', '/v1/me/payment-methods', { token: s.token, body: { payment_method: 'pm_card_visa', default: true } });
    expect((await call(app, 'GET', link)).body).toContain('visa ending in 4242 (default)');
    const fixed = await call(app, 'POST', `/v1/bookings/${res.body.id}/confirm-payment`, { token: s.token, body: { payment_method_id: visa.body.id } });
    expect([fixed.status, fixed.body.status, fixed.body.payment_status, fixed.body.payment.authorized_amount]).toEqual([200, 'confirmed', 'authorized', 6000]);
    const after = await call(app, 'GET', link);
    expect([after.status, after.body.includes('Your payment is in place'), after.body.includes('<form')]).toEqual([200, true, false]);
    await t.advance(2 * 86_400);
    expect((await t.get(s.token, res.body.id)).body.status).toBe('confirmed');
  });

  it('cancels and frees the time when the student does not fix it within the grace period', async () => {
    // Now 2026-07-13T08:00Z; a lesson on the 17th is authorized at once (inside the hold window).
    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const res = await t.book(s, '2026-07-17', '10:00');
    expect(res.body.payment_status).toBe('requires_action');
    await t.advance(16 * 60);
    expect((await t.get(s.token, res.body.id)).body.status).toBe('cancelled');
    const cancelledMails = await mailsTo(t.inst.email, 'booking-cancelled');
    expect(cancelledMails).toHaveLength(0); // the instructor never heard of a booking that was not paid
  });
});

describe('an off-session authorization that needs the student (authentication_required)', () => {
  let app: TestApp;
  let t: Awaited<ReturnType<typeof setup>>;
  const START = new Date('2026-07-01T08:00:00Z');
  const mailCount = async (email: string, template: string) => {
    await app.services.outbox.flush();
    const files = (await readdir(app.outboxDir).catch(() => [] as string[])).filter((f) => f.includes(`-${template}-`) && f.endsWith('.eml'));
    const texts = await Promise.all(files.map((f) => readFile(path.join(app.outboxDir, f), 'utf8')));
    return texts.filter((m) => m.includes(email)).length;
  };
  beforeAll(async () => {
    app = await startTestApp({ now: START });
    t = await setup(app);
  });
  afterAll(async () => app?.close());

  it('keeps the time with requires_action, mails the link, and is authorized when the student confirms on the page within the grace', async () => {
    app.clock.set(START);
    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const res = await t.book(s, '2026-07-15', '10:00'); // 08:00Z, 14 days out
    expect([res.status, res.body.status, res.body.payment_status]).toEqual([201, 'confirmed', 'card_saved']);
    await t.advance(10 * 86_400); // authorize_at: the bank wants the student, who is not there
    const waiting = (await t.get(s.token, res.body.id)).body;
    expect([waiting.status, waiting.payment_status, waiting.payment.authorized_amount, waiting.payment.action_expires_at]).toEqual(['confirmed', 'requires_action', 0, '2026-07-12T08:00:00.000Z']);
    // The time stays the student's meanwhile.
    expect((await t.book(await registerUser(app, 'student'), '2026-07-15', '10:00')).body.code).toBe('instructor_conflict');
    const mails = await actionMails(app, s.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('We keep your lesson until Sunday, 12 July 2026, 08:00'); // the deadline in the student's zone (UTC)
    const link = linkIn(mails[0]!, res.body.id);
    const page = await call(app, 'GET', link);
    expect([page.status, page.body.includes('your bank asks you to confirm it'), page.body.includes('visa ending in 3184 (default)')]).toEqual([200, true, true]);
    // Within the grace the student confirms on the page with the same card (3-D Secure on-session).
    await t.advance(23 * 3600);
    const done = await submitForm(app, link, { payment_method_id: (await call(app, 'GET', '/v1/me/payment-methods', { token: s.token })).body.data[0].id });
    expect([done.status, done.text.includes('the payment is authorized and your lesson is confirmed')]).toEqual([200, true]);
    const held = (await t.get(s.token, res.body.id)).body;
    expect([held.status, held.payment_status, held.payment.authorized_amount, held.payment.action_expires_at]).toEqual(['confirmed', 'authorized', 6000, null]);
    // One PaymentIntent: the off-session attempt, then its on-session confirmation.
    expect((await processorKeys(app, res.body.id)).map((k) => k.replace(/pm_off_\w+/, 'pm'))).toEqual(['authorize:1', 'confirm:1:pm']);
    // The grace ends later: nothing happens to the paid booking.
    await t.advance(2 * 3600);
    expect((await t.get(s.token, res.body.id)).body).toMatchObject({ status: 'confirmed', payment_status: 'authorized' });
  });

  it('not fixed within the 24 h grace: cancelled, both told, the time freed', async () => {
    app.clock.set(START);
    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const res = await t.book(s, '2026-07-15', '14:00'); // 12:00Z; authorize_at 2026-07-11T12:00Z
    expect(res.body.payment_status).toBe('card_saved');
    await t.advance(10 * 86_400 + 4 * 3600);
    expect((await t.get(s.token, res.body.id)).body).toMatchObject({ status: 'confirmed', payment_status: 'requires_action', payment: { action_expires_at: '2026-07-12T12:00:00.000Z' } });
    expect(await actionMails(app, s.email)).toHaveLength(1);
    await t.advance(24 * 3600 - 60);
    expect((await t.get(s.token, res.body.id)).body).toMatchObject({ status: 'confirmed', payment_status: 'requires_action' });
    await t.advance(120);
    const gone = (await t.get(s.token, res.body.id)).body;
    expect([gone.status, gone.payment_status, gone.payment.authorized_amount, gone.payment.captured_amount]).toEqual(['cancelled', 'failed', 0, 0]);
    expect(await mailCount(s.email, 'booking-cancelled')).toBe(1);
    expect(await mailCount(t.inst.email, 'booking-cancelled')).toBe(1);
    // The page says so and offers nothing to pay; the time is anyone's again.
    const page = await call(app, 'GET', linkIn((await actionMails(app, s.email))[0]!, res.body.id));
    expect([page.status, page.body.includes('This lesson is no longer booked'), page.body.includes('<form')]).toEqual([200, true, false]);
    expect((await t.book(await registerUser(app, 'student'), '2026-07-15', '14:00')).status).toBe(201);
  });

  it('an authorization that runs late keeps the time until the lesson starts, never past it', async () => {
    app.clock.set(START);
    const s = await registerUser(app, 'student', { card: 'pm_card_authenticationRequired' });
    const res = await t.book(s, '2026-07-16', '10:00'); // 08:00Z; authorize_at 2026-07-12T08:00Z
    expect(res.body.payment.authorize_at).toBe('2026-07-12T08:00:00.000Z');
    // The platform was down: its clock jumps to 12 hours before the lesson and the job runs then.
    await t.advance(14 * 86_400 + 12 * 3600);
    expect((await t.get(s.token, res.body.id)).body).toMatchObject({ status: 'confirmed', payment_status: 'requires_action', payment: { action_expires_at: '2026-07-16T08:00:00.000Z' } });
    await t.advance(12 * 3600 - 60);
    expect((await t.get(s.token, res.body.id)).body.status).toBe('confirmed');
    await t.advance(120);
    expect((await t.get(s.token, res.body.id)).body).toMatchObject({ status: 'cancelled', payment_status: 'failed' });
  });
});

describe('reconciliation of payment steps whose outcome was never recorded', () => {
  let app: TestApp;
  let t: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z') });
    t = await setup(app);
  });
  afterAll(async () => app?.close());

  it('the process dies after the booking committed, before its hold: reconciliation finds it and holds once', async () => {
    const s = await registerUser(app, 'student');
    // The hold never starts: the process is gone right after the booking's commit.
    const crash = vi.spyOn(app.services.payments, 'authorize').mockRejectedValueOnce(new Error('the process died'));
    const res = await t.book(s, '2026-07-03', '09:00');
    crash.mockRestore();
    expect(res.status).toBe(500);
    const [orphan] = (await call(app, 'GET', '/v1/bookings?role=student', { token: s.token })).body.data as { id: string; status: string; payment_status: string }[];
    expect([orphan!.status, orphan!.payment_status]).toEqual(['pending', 'authorizing']);
    expect(await processorKeys(app, orphan!.id)).toEqual([]);
    // Nobody else can take the time while it is unresolved.
    expect((await t.book(await registerUser(app, 'student'), '2026-07-03', '09:00')).body.code).toBe('instructor_conflict');
    await t.advance(60);
    expect((await t.get(s.token, orphan!.id)).body.status).toBe('pending'); // not yet 2 minutes old
    await t.advance(3 * 60);
    const held = (await t.get(s.token, orphan!.id)).body;
    expect([held.status, held.payment_status, held.payment.authorized_amount]).toEqual(['confirmed', 'authorized', 6000]);
    expect(await processorKeys(app, orphan!.id)).toEqual(['authorize:1']);
    // A later retry of the same lesson is a conflict with it, and holds nothing more.
    const retried = await t.book(s, '2026-07-03', '09:00');
    expect([retried.status, retried.body.code]).toEqual([409, 'instructor_conflict']);
    await t.advance(3 * 60);
    expect(await processorKeys(app, orphan!.id)).toEqual(['authorize:1']);
  });
});

describe('dashboards by currency', () => {
  let app: TestApp;
  let t: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z') });
    t = await setup(app);
  });
  afterAll(async () => app?.close());

  it('the student sees holds and the instructor captured money less refunds, each per currency', async () => {
    const usd = await call(app, 'POST', '/v1/me/services', { token: t.inst.token, body: { skill: 'Guitar', hourly_rate: 4000, currency: 'USD', durations: [60], location_types: ['online'] } });
    expect(usd.status).toBe(201);
    const s = await registerUser(app, 'student');
    const eur = (await t.book(s, '2026-07-03', '09:00')).body;
    const usd1 = (await t.book(s, '2026-07-03', '11:00', { service_id: usd.body.id })).body;
    const usd2 = (await t.book(s, '2026-07-06', '09:00', { service_id: usd.body.id })).body;
    const saved = (await t.book(s, '2026-07-15', '09:00', { service_id: usd.body.id })).body;
    expect([eur.payment_status, usd1.payment_status, usd2.payment_status, saved.payment_status]).toEqual(['authorized', 'authorized', 'authorized', 'card_saved']);
    expect([usd1.price, usd1.payment.currency]).toEqual([{ amount: 4000, currency: 'USD' }, 'USD']);
    const dashboard = (token: string) => call(app, 'GET', '/v1/me/dashboard', { token }).then((r) => r.body);
    // Held on the card now: the three lessons within the hold window; the saved card holds nothing yet.
    expect((await dashboard(s.token)).holds).toEqual([{ amount: 8000, currency: 'USD' }, { amount: 6000, currency: 'EUR' }]);
    expect((await dashboard(t.inst.token)).month).toMatchObject({ earnings: { amount: 0, currency: 'EUR' }, earnings_by_currency: [] });

    app.clock.set(new Date('2026-07-03T10:30:00Z'));
    for (const b of [eur, usd1]) expect((await call(app, 'POST', `/v1/bookings/${b.id}/complete`, { token: t.inst.token })).body.payment_status).toBe('captured');
    expect((await call(app, 'POST', `/v1/bookings/${usd1.id}/refund`, { token: t.admin.token, body: { amount: 1000 } })).body.payment_status).toBe('partially_refunded');
    const month = (await dashboard(t.inst.token)).month;
    expect([month.earnings, month.earnings_by_currency]).toEqual([{ amount: 6000, currency: 'EUR' }, [{ amount: 6000, currency: 'EUR' }, { amount: 3000, currency: 'USD' }]]);
    expect(month.counts).toMatchObject({ completed: 2, confirmed: 2 });
    // Captured lessons hold nothing any more: only the coming USD lesson is held.
    expect((await dashboard(s.token)).holds).toEqual([{ amount: 4000, currency: 'USD' }]);
  });
});

describe('cancellations, no-shows and refunds', () => {
  let app: TestApp;
  let t: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-07-01T08:00:00Z') });
    t = await setup(app);
  });
  afterAll(async () => app?.close());

  const cancel = (token: string, id: string) => call(app, 'POST', `/v1/bookings/${id}/cancel`, { token, body: { reason: 'Plans changed' } });

  it('student, early: the hold is released, nothing charged', async () => {
    const s = await registerUser(app, 'student');
    const b = (await t.book(s, '2026-07-06', '09:00')).body;
    const res = await cancel(s.token, b.id);
    expect([res.body.status, res.body.payment_status, res.body.payment.captured_amount, res.body.payment.authorized_amount]).toEqual(['cancelled', 'released', 0, 0]);
  });

  it('student, late: the policy fee (50 %) is captured; instructor, late: released in full', async () => {
    const s = await registerUser(app, 'student');
    const late = (await t.book(s, '2026-07-03', '09:00')).body; // 07:00Z on the 3rd
    app.clock.set(new Date('2026-07-02T12:00:00Z')); // 19 hours before
    const res = await cancel(s.token, late.id);
    expect([res.body.payment_status, res.body.payment.captured_amount, res.body.payment.fee_amount]).toEqual(['captured', 3000, 3000]);
    const other = (await t.book(s, '2026-07-03', '12:00')).body;
    const byInstructor = await cancel(t.inst.token, other.id);
    expect([byInstructor.body.payment_status, byInstructor.body.payment.captured_amount]).toEqual(['released', 0]);
  });

  it('a saved-card booking cancelled late under a strict policy is charged the fee off-session', async () => {
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const profile = await call(app, 'PUT', '/v1/me/instructor-profile', { token: t.inst.token, body: { cancellation_policy: [{ hours_before: 0, fee_percent: 100 }, { hours_before: 720, fee_percent: 0 }], no_show_fee_percent: 40 } });
    expect(profile.body).toMatchObject({ cancellation_policy: [{ hours_before: 720, fee_percent: 0 }, { hours_before: 0, fee_percent: 100 }], no_show_fee_percent: 40 });
    const s = await registerUser(app, 'student');
    const b = (await t.book(s, '2026-07-16', '10:00')).body;
    expect(b.payment_status).toBe('card_saved');
    const res = await cancel(s.token, b.id);
    expect([res.body.payment_status, res.body.payment.captured_amount, res.body.payment.fee_amount]).toEqual(['captured', 6000, 6000]);
  });

  it('no-show captures the instructor\'s no-show fee; admins refund part, then the rest', async () => {
    const s = await registerUser(app, 'student');
    const b = (await t.book(s, '2026-07-03', '15:00')).body;
    app.clock.set(new Date('2026-07-03T14:00:00Z'));
    const res = await call(app, 'POST', `/v1/bookings/${b.id}/no-show`, { token: t.inst.token });
    expect([res.body.status, res.body.payment_status, res.body.payment.captured_amount, res.body.payment.fee_amount]).toEqual(['no_show', 'captured', 2400, 2400]);
    expect((await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.inst.token, body: { amount: 100 } })).status).toBe(403);
    const tooMuch = await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token, body: { amount: 2401 } });
    expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'invalid_amount']);
    const part = await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token, body: { amount: 400 } });
    expect([part.body.payment_status, part.body.payment.refunded_amount]).toEqual(['partially_refunded', 400]);
    const rest = await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token });
    expect([rest.body.payment_status, rest.body.payment.refunded_amount]).toEqual(['refunded', 2400]);
    expect((await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token })).body.code).toBe('invalid_transition');
  });

  it('two refunds of one payment at once: one goes through, the other is a 409, money goes back once', async () => {
    const s = await registerUser(app, 'student');
    const b = (await t.book(s, '2026-07-06', '15:00')).body;
    app.clock.set(new Date('2026-07-06T14:00:00Z'));
    const noShow = await call(app, 'POST', `/v1/bookings/${b.id}/no-show`, { token: t.inst.token });
    expect([noShow.body.payment_status, noShow.body.payment.captured_amount]).toEqual(['captured', 2400]);
    const part = call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token, body: { amount: 1 } });
    const all = call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token, body: {} });
    const answers = await Promise.all([part, all]);
    expect(answers.every((r) => r.status < 500), JSON.stringify(answers.map((r) => r.body))).toBe(true);
    for (const r of answers.filter((a) => a.status !== 200)) expect([r.status, r.body.code]).toEqual([409, 'invalid_transition']);
    const after = (await call(app, 'GET', `/v1/bookings/${b.id}`, { token: s.token })).body;
    // What the booking says was refunded is what the answers that went through refunded.
    const refunded = answers.filter((r) => r.status === 200).reduce((n, r) => Math.max(n, r.body.payment.refunded_amount), 0);
    expect(after.payment.refunded_amount).toBe(refunded);
    expect(after.payment.refunded_amount).toBeLessThanOrEqual(2400);
    expect(after.payment_status).toBe(after.payment.refunded_amount === 2400 ? 'refunded' : 'partially_refunded');
    // Nothing left pending: the rest can still be refunded.
    const rest = await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token });
    if (after.payment.refunded_amount < 2400) expect([rest.status, rest.body.payment.refunded_amount]).toEqual([200, 2400]);
    else expect(rest.body.code).toBe('invalid_transition');
  });

  it('announces each money movement once as a payment.* webhook event, with the booking as its owner sees it', async () => {
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const s = await registerUser(app, 'student');
    const events = ['payment.authorized', 'payment.captured', 'payment.refunded', 'payment.failed'];
    const hook = await call(app, 'POST', '/v1/me/webhooks', { token: s.token, body: { url: 'http://127.0.0.1:9/pay', events } });
    expect(hook.status).toBe(201);
    const b = (await t.book(s, '2026-07-06', '13:00')).body;
    expect(b.payment_status).toBe('authorized');
    app.clock.set(new Date('2026-07-06T11:30:00Z'));
    expect((await call(app, 'POST', `/v1/bookings/${b.id}/no-show`, { token: t.inst.token })).body.payment_status).toBe('captured');
    expect((await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token, body: { amount: 400 } })).body.payment_status).toBe('partially_refunded');
    expect((await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token })).body.payment_status).toBe('refunded');
    // A retried refund request changes nothing and announces nothing.
    expect((await call(app, 'POST', `/v1/bookings/${b.id}/refund`, { token: t.admin.token })).body.code).toBe('invalid_transition');
    const rows = await app.db.sequelize.query<{ type: string; data: string | Record<string, unknown> }>(
      'SELECT type, data FROM booking_events WHERE booking_id = :id AND type LIKE :p',
      { replacements: { id: b.id, p: 'payment_%' }, type: QueryTypes.SELECT },
    );
    const data = rows.map((r) => ({ type: r.type, ...(typeof r.data === 'string' ? JSON.parse(r.data) : r.data) }));
    // Ordered by what they say (entries written within one millisecond may tie on created_at).
    const moved = data.filter((r) => r.type !== 'payment_authorized').sort((x, y) => `${x.type}${x.refunded_amount ?? 0}`.localeCompare(`${y.type}${y.refunded_amount ?? 0}`, 'en', { numeric: true }));
    expect(moved).toEqual([
      { type: 'payment_captured', amount: 2400, fee_amount: 2400, currency: 'EUR' },
      { type: 'payment_refunded', amount: 400, refunded_amount: 400, currency: 'EUR' },
      { type: 'payment_refunded', amount: 2000, refunded_amount: 2400, currency: 'EUR' },
    ]);
    // Deliveries are written by the booking.changed job after each change committed.
    await app.services.jobs.runDue();
    const delivered = (await call(app, 'GET', `/v1/me/webhooks/${hook.body.id}/deliveries`, { token: s.token })).body.data as { event_type: string }[];
    expect(delivered.map((d) => d.event_type).sort()).toEqual(['payment.authorized', 'payment.captured', 'payment.refunded', 'payment.refunded']);
  });

  it('a fee the saved card cannot pay: payment failed, the booking cancelled as asked, payment.failed delivered', async () => {
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const s = await registerUser(app, 'student', { card: 'pm_card_chargeDeclined' });
    const hook = await call(app, 'POST', '/v1/me/webhooks', { token: s.token, body: { url: 'http://127.0.0.1:9/failed', events: ['payment.failed'] } });
    const b = (await t.book(s, '2026-07-17', '10:00')).body;
    expect(b.payment_status).toBe('card_saved');
    // The strict policy of the test above: 100 % within 30 days.
    const res = await cancel(s.token, b.id);
    expect([res.status, res.body.status, res.body.payment_status, res.body.payment.captured_amount]).toEqual([200, 'cancelled', 'failed', 0]);
    await app.services.jobs.runDue();
    const delivered = (await call(app, 'GET', `/v1/me/webhooks/${hook.body.id}/deliveries`, { token: s.token })).body.data as { event_type: string }[];
    expect(delivered.map((d) => d.event_type)).toEqual(['payment.failed']);
  });

  it('a reschedule keeps a hold that still covers the lesson, goes back to the saved card when further out, and re-holds a new price', async () => {
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
    const s = await registerUser(app, 'student');
    const b = (await t.book(s, '2026-07-03', '16:00')).body;
    const move = (body: Record<string, unknown>) => call(app, 'POST', `/v1/bookings/${b.id}/reschedule`, { token: s.token, body });
    const kept = (await move({ date: '2026-07-06', start_time: '16:00' })).body;
    expect([kept.payment_status, kept.payment.capture_before]).toEqual(['authorized', b.payment.capture_before]);
    const far = (await move({ date: '2026-07-16', start_time: '16:00' })).body;
    expect([far.payment_status, far.payment.authorized_amount, far.payment.authorize_at]).toEqual(['card_saved', 0, '2026-07-12T14:00:00.000Z']);
    const longer = (await move({ date: '2026-07-06', start_time: '16:00', duration_minutes: 90 })).body;
    expect([longer.payment_status, longer.payment.amount, longer.payment.authorized_amount]).toEqual(['authorized', 9000, 9000]);
  });

  it('the test clock is for admins only', async () => {
    const s = await registerUser(app, 'student');
    expect((await call(app, 'POST', '/v1/admin/test-clock', { token: s.token, body: { advance_seconds: 60 } })).status).toBe(403);
    expect((await call(app, 'POST', '/v1/admin/test-clock', { token: t.admin.token, body: { advance_seconds: 0 } })).status).toBe(400);
  });
});

describe('test clock in production', () => {
  it('does not exist', async () => {
    const app = await startTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const admin = await registerAdmin(app);
      const res = await call(app, 'POST', '/v1/admin/test-clock', { token: admin.token, body: { advance_seconds: 60 } });
      expect([res.status, res.body.code]).toEqual([404, 'not_found']);
    } finally {
      await app.close();
    }
  });
});
