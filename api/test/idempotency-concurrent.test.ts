// A repeat of POST /v1/bookings with the same Idempotency-Key while the first request is still in
// flight (openapi.yaml, POST /v1/bookings): it waits for the first (up to 15 s) and replays its
// answer; if the first is still running after that, it is answered 409 `idempotency_in_progress`.
//
// The first request is held in flight where a real one is slow: at the payment processor. A paid
// lesson within the hold window is booked, committed, then held at Stripe before its answer is
// recorded; here Stripe is the local stand-in behind a gate that keeps PaymentIntent creations
// waiting until the test opens it.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type ApiResponse, type TestApp } from './harness.js';
import { startStripeStandIn, type StripeStandIn } from './stripe-stand-in.js';
import { addDays } from '../src/platform/time.js';

/** A pass-through proxy to `target` that, while closed, keeps `POST /v1/payment_intents` (a new hold) waiting. */
async function startGate(target: string) {
  let closed = false;
  const waiting: (() => void)[] = [];
  // By idempotency key: stripe-node's own retry of a slow call is the same hold.
  const held = new Set<string>();
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const upstream = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    };
    if (closed && req.method === 'POST' && (req.url ?? '').split('?')[0] === '/v1/payment_intents') {
      held.add(String(req.headers['idempotency-key']));
      waiting.push(forward);
      return;
    }
    forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** How many holds (distinct idempotency keys) the gate has kept waiting since it was last closed. */
    held: () => held.size,
    close() {
      closed = true;
      held.clear();
    },
    /** Lets every waiting request through, and later ones straight away. */
    open() {
      closed = false;
      for (const go of waiting.splice(0)) go();
    },
    /** Resolves once `n` holds are waiting at the gate. */
    async holding(n: number) {
      for (let i = 0; held.size < n; i++) {
        if (i > 400) throw new Error(`only ${held.size} of ${n} holds reached the processor`);
        await sleep(25);
      }
    },
    stop: () => {
      closed = false;
      for (const go of waiting.splice(0)) go();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('Idempotency-Key: a repeat while the first request is in flight', () => {
  let stripe: StripeStandIn;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;

  beforeAll(async () => {
    stripe = await startStripeStandIn(() => app.clock.now());
    gate = await startGate(stripe.url);
    app = await startTestApp({ env: { STRIPE_SECRET_KEY: 'sk_test_stand_in', STRIPE_PUBLISHABLE_KEY: 'pk_test_stand_in', STRIPE_WEBHOOK_SECRET: 'whsec_test_stand_in_secret', STRIPE_API_URL: gate.url } });
    inst = await publishedInstructor(app, { days: ['2026-07-03', '2026-07-20'].map((date) => ({ date, ranges: [{ start_time: '08:00', end_time: '18:00' }] })) });
  });
  afterEach(() => {
    vi.useRealTimers();
    gate.open();
  });
  afterAll(async () => {
    await app?.close();
    await gate?.stop();
    await stripe?.close();
  });

  const lesson = (date: string, start_time: string) => ({ instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 60, location_type: 'online' });
  const book = (token: string, body: Record<string, unknown>, key: string) => call(app, 'POST', '/v1/bookings', { token, body, headers: { 'Idempotency-Key': key } });
  /** The student's bookings, as the student lists them. */
  const bookingsOf = async (token: string) => ((await call(app, 'GET', '/v1/bookings?role=student', { token })).body.data as { id: string }[]).map((b) => b.id);
  /** PaymentIntents the stand-in created for a booking (each is money held). */
  const holdsFor = (bookingId: string) => [...stripe.intents.values()].filter((i) => i.metadata.booking_id === bookingId);
  /** A request that records whether it has been answered yet. */
  const watched = (p: Promise<ApiResponse>) => {
    const w = { answered: false, done: p };
    void p.then(() => (w.answered = true));
    return w;
  };

  it('waits for the first and replays its answer: one booking, one hold, the same 201 for both', async () => {
    const s = await registerUser(app, 'student');
    const body = lesson('2026-07-03', '10:00');
    gate.close();
    const first = watched(book(s.token, body, 'pay-once'));
    await gate.holding(1); // the first booked the lesson and is waiting for its hold; its key has no answer yet
    const second = watched(book(s.token, body, 'pay-once'));
    await sleep(750);
    expect(second.answered, 'the repeat waits while the first is in flight').toBe(false);
    expect(first.answered).toBe(false);
    expect(gate.held(), 'the repeat asked the processor for nothing').toBe(1);

    gate.open();
    const [a, b] = await Promise.all([first.done, second.done]);
    expect([a.status, a.body.status, a.body.payment_status]).toEqual([201, 'confirmed', 'authorized']);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect([a.headers.get('idempotent-replayed'), b.headers.get('idempotent-replayed')]).toEqual([null, 'true']);
    expect(await bookingsOf(s.token)).toEqual([a.body.id]);
    expect(holdsFor(a.body.id)).toHaveLength(1);
  });

  it('two identical requests sent at once, for a lesson whose card is only saved: one booking, the same answer', async () => {
    const s = await registerUser(app, 'student');
    const body = lesson('2026-07-20', '10:00');
    const [a, b] = await Promise.all([book(s.token, body, 'saved-once'), book(s.token, body, 'saved-once')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    expect(a.body.payment_status).toBe('card_saved');
    expect([a, b].filter((r) => r.headers.get('idempotent-replayed') === 'true'), 'one of the two is the replay').toHaveLength(1);
    expect(await bookingsOf(s.token)).toEqual([a.body.id]);
  });

  it('answers 409 idempotency_in_progress when the first is still running after 15 s; a later retry replays the booking', async () => {
    const s = await registerUser(app, 'student');
    const body = lesson('2026-07-03', '14:00');
    gate.close();
    const first = watched(book(s.token, body, 'pay-slow'));
    await gate.holding(1);

    // The server's wait is measured on the wall clock: move the process's Date on a second every
    // 25 ms (timers stay real), so the 15 seconds pass in well under one.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const sentAt = Date.now();
    const second = watched(book(s.token, body, 'pay-slow'));
    for (let i = 0; i < 120 && !second.answered; i++) {
      await sleep(25);
      vi.setSystemTime(Date.now() + 1_000);
    }
    const waited = Date.now() - sentAt;
    vi.useRealTimers();
    const late = await second.done;
    expect([late.status, late.headers.get('content-type'), late.body.code]).toEqual([409, expect.stringContaining('application/problem+json'), 'idempotency_in_progress']);
    expect(late.body).toMatchObject({ status: 409, detail: expect.stringMatching(/Retry/) });
    expect(waited, 'answered only after waiting 15 s for the first').toBeGreaterThanOrEqual(15_000);
    expect(waited).toBeLessThan(30_000);
    expect(first.answered).toBe(false);
    expect(gate.held(), 'the repeat asked the processor for nothing').toBe(1);

    // The processor answers; the first request completes, and the client's retry with the same key gets that booking.
    gate.open();
    const a = await first.done;
    expect([a.status, a.body.status, a.body.payment_status]).toEqual([201, 'confirmed', 'authorized']);
    const retry = await book(s.token, body, 'pay-slow');
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(retry.body).toEqual(a.body);
    expect(await bookingsOf(s.token)).toEqual([a.body.id]);
    expect(holdsFor(a.body.id)).toHaveLength(1);
  });

  // The claim's age is measured on the API's clock: a test clock moved ahead of the wall clock (as the
  // admin test clock does) must not make a claim in flight look abandoned, and taken over.
  it('a test clock ahead of the wall clock: the repeat still waits and replays, nothing runs twice', async () => {
    const ahead = new Date(Date.now() + 86_400_000);
    app.clock.set(ahead);
    const date = addDays(ahead.toISOString().slice(0, 10), 2);
    const teacher = await publishedInstructor(app, { days: [{ date, ranges: [{ start_time: '08:00', end_time: '18:00' }] }] });
    const s = await registerUser(app, 'student');
    const body = { ...lesson(date, '10:00'), instructor_id: teacher.id, service_id: teacher.serviceId };
    gate.close();
    const first = watched(book(s.token, body, 'ahead-once'));
    await gate.holding(1);
    const second = watched(book(s.token, body, 'ahead-once'));
    await sleep(750);
    expect(second.answered, 'the repeat waits while the first is in flight').toBe(false);
    gate.open();
    const [a, b] = await Promise.all([first.done, second.done]);
    expect([a.status, a.body.status, a.body.payment_status]).toEqual([201, 'confirmed', 'authorized']);
    expect([b.status, b.body]).toEqual([201, a.body]);
    expect(await bookingsOf(s.token)).toEqual([a.body.id]);
    expect(holdsFor(a.body.id)).toHaveLength(1);
  });
});
