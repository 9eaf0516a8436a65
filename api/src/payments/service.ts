import type { Transaction } from 'sequelize';
import type { Logger } from 'pino';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { PaymentSettings } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import { PaymentDeclined, ProcessorRejected, ProcessorUnavailable, type Intent, type PaymentProcessor } from './processor.js';
import type { BookingPaymentRow, PaymentRepository } from './repository.js';

/** The booking's payment status (bookings.payment_status, shown as `payment_status`). */
export type PaymentStatus = 'not_required' | 'card_saved' | 'authorizing' | 'requires_action' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'released' | 'failed';

/** The payment steps written to a booking's history (each a `payment.*` webhook event). */
export type PaymentHistoryType = 'payment_captured' | 'payment_refunded' | 'payment_failed';

/** What a hold or an authorization came to. */
export type AuthorizeOutcome = 'authorized' | 'requires_action' | 'declined' | 'unavailable';

interface Deps {
  db: Db;
  clock: Clock;
  processor: PaymentProcessor;
  payments: PaymentRepository;
  /** Writes bookings.payment_status (the bookings repository owns that table). */
  setPaymentStatus(bookingId: string, status: PaymentStatus, tx: Transaction): Promise<void>;
  /** Writes an entry of the booking's history (`payment_captured`, ...), which webhooks announce. */
  addHistory(bookingId: string, type: PaymentHistoryType, data: Record<string, unknown>, tx: Transaction): Promise<void>;
  settings: PaymentSettings;
  logger: Logger;
}

const key = (p: Pick<BookingPaymentRow, 'booking_id'>, ...step: (string | number)[]) => ['booking', p.booking_id, ...step].join(':');

/**
 * The two-step payment of a booking. Each processor call is recorded before it is made
 * (`pending_step`) and its outcome after, each in its own short transaction, never inside the
 * booking's; a call whose outcome was never recorded (a crash, the processor down) is finished
 * by `reconcile` with the same idempotency key. Each state change is one small function here,
 * the place to hook events on.
 */
export function paymentService({ db, clock, processor, payments, setPaymentStatus, addHistory, settings, logger }: Deps) {
  /**
   * Applies a change to the payment and its status in one transaction; money that moved is
   * written to the booking's history there too (once: a capture or refund already recorded, e.g.
   * by the processor's webhook arriving first, is not announced again).
   */
  async function record(bookingId: string, status: PaymentStatus | null, changes: Partial<BookingPaymentRow>, tx?: Transaction, history?: PaymentHistoryType): Promise<BookingPaymentRow> {
    const write = async (t: Transaction) => {
      // The booking's row before its payment's: the lock order of every writer (no deadlock).
      if (status) await setPaymentStatus(bookingId, status, t);
      const before = history ? await payments.find(bookingId, t) : null;
      const updated = await payments.update(bookingId, changes, clock.now(), t);
      if (history && before) {
        if (history === 'payment_captured' && updated.captured_amount > before.captured_amount) {
          await addHistory(bookingId, history, { amount: updated.captured_amount, fee_amount: updated.fee_amount, currency: updated.currency }, t);
        } else if (history === 'payment_refunded' && updated.refunded_amount > before.refunded_amount) {
          await addHistory(bookingId, history, { amount: updated.refunded_amount - before.refunded_amount, refunded_amount: updated.refunded_amount, currency: updated.currency }, t);
        } else if (history === 'payment_failed') {
          await addHistory(bookingId, history, { reason: updated.last_error }, t);
        }
      }
      return updated;
    };
    return tx ? write(tx) : db.transaction(write);
  }

  const begin = (p: BookingPaymentRow, step: string, status: PaymentStatus | null, extra: Partial<BookingPaymentRow> = {}) =>
    record(p.booking_id, status, { ...extra, pending_step: step, pending_since: clock.now() });
  const done = { pending_step: null, pending_since: null, last_error: null };

  // ---- transitions (one function each)
  const markAuthorized = (p: BookingPaymentRow, i: Intent) =>
    record(p.booking_id, 'authorized', { ...done, intent_id: i.id, client_secret: null, authorized_amount: i.amount_capturable || i.amount, capture_before: i.capture_before, action_expires_at: null });
  const markRequiresAction = (p: BookingPaymentRow, i: Intent, until: Date, error: string | null) =>
    record(p.booking_id, 'requires_action', { ...done, intent_id: i.id, client_secret: i.client_secret, action_expires_at: until, last_error: error });
  const markFailed = (p: BookingPaymentRow, error: string, intentId: string | null = p.intent_id) => record(p.booking_id, 'failed', { ...done, intent_id: intentId, client_secret: null, last_error: error });
  const markCaptured = (p: BookingPaymentRow, amount: number, fee: number, intentId = p.intent_id) =>
    record(p.booking_id, 'captured', { ...done, intent_id: intentId, captured_amount: amount, fee_amount: fee, client_secret: null }, undefined, 'payment_captured');
  const markReleased = (p: BookingPaymentRow) => record(p.booking_id, 'released', { ...done, client_secret: null, authorized_amount: 0 });
  const markRefunded = (p: BookingPaymentRow, amount: number) => {
    const refunded = p.refunded_amount + amount;
    return record(p.booking_id, refunded >= p.captured_amount ? 'refunded' : 'partially_refunded', { ...done, refunded_amount: refunded }, undefined, 'payment_refunded');
  };
  const markCardSaved = (p: BookingPaymentRow, authorizeAt: Date, tx?: Transaction) =>
    record(p.booking_id, 'card_saved', { ...done, intent_id: null, client_secret: null, authorized_amount: 0, capture_before: null, action_expires_at: null, authorize_at: authorizeAt }, tx);

  async function load(bookingId: string): Promise<BookingPaymentRow> {
    const p = await payments.find(bookingId);
    if (!p) throw new Error(`booking ${bookingId} has no payment`);
    return p;
  }

  /** Leaves the step pending for reconciliation when the processor is down; rethrows anything else. */
  function unavailable(p: BookingPaymentRow, step: string, err: unknown): never {
    if (err instanceof ProcessorUnavailable) logger.warn({ err, booking: p.booking_id, step }, 'payment processor unavailable; reconciliation will retry');
    throw err;
  }

  /** Creates and confirms the PaymentIntent (a hold); `offSession` for a saved card authorized before the lesson. */
  async function authorize(bookingId: string, opts: { offSession: boolean; lessonStart: Date }): Promise<AuthorizeOutcome> {
    let p = await load(bookingId);
    const step = opts.offSession ? 'authorize_off' : 'authorize';
    // A reconciliation repeats the recorded attempt (same key); a new call is a new attempt.
    const attempt = p.pending_step === step ? p.attempt : p.attempt + 1;
    p = await begin(p, step, 'authorizing', { attempt });
    try {
      const intent = await processor.authorize({
        amount: p.amount,
        currency: p.currency,
        customerId: p.customer_id,
        paymentMethodId: p.payment_method_id,
        offSession: opts.offSession,
        manualCapture: true,
        idempotencyKey: key(p, 'authorize', attempt),
        metadata: { booking_id: p.booking_id },
      });
      if (intent.status === 'requires_capture') {
        await markAuthorized(p, intent);
        return 'authorized';
      }
      if (intent.status === 'requires_action') {
        await markRequiresAction(p, intent, new Date(clock.now().getTime() + settings.actionGraceMinutes * 60_000), null);
        return 'requires_action';
      }
      await markFailed(p, `unexpected intent status ${intent.status}`, intent.id);
      return 'declined';
    } catch (err) {
      if (err instanceof PaymentDeclined) {
        if (opts.offSession && err.intent) {
          // The student must come back: keep the time for the recovery grace, never past the lesson.
          const until = new Date(Math.min(clock.now().getTime() + settings.recoveryGraceHours * 3_600_000, opts.lessonStart.getTime()));
          await markRequiresAction(p, err.intent, until, err.code);
          return 'requires_action';
        }
        await markFailed(p, err.code, err.intent?.id ?? null);
        return 'declined';
      }
      if (err instanceof ProcessorUnavailable) {
        logger.warn({ err, booking: p.booking_id }, 'payment processor unavailable during authorization');
        return 'unavailable';
      }
      if (err instanceof ProcessorRejected) {
        await markFailed(p, err.code);
        return 'declined';
      }
      throw err;
    }
  }

  return {
    key,
    authorize,
    markCardSaved,

    /**
     * Writes the booking's payment row inside the booking's transaction (no processor call yet).
     * A hold due now is recorded as the pending step `authorize` (attempt 1) already here, so a
     * process that dies between the commit and the hold leaves a step `reconcile` finds and
     * finishes with the same idempotency key as the hold right after the commit would have used.
     */
    async open(tx: Transaction, row: Omit<BookingPaymentRow, 'intent_id' | 'client_secret' | 'authorized_amount' | 'captured_amount' | 'refunded_amount' | 'fee_amount' | 'capture_before' | 'action_expires_at' | 'attempt' | 'pending_step' | 'pending_since' | 'last_error'>, opts: { holdNow: boolean }): Promise<BookingPaymentRow> {
      const pending = opts.holdNow ? { attempt: 1, pending_step: 'authorize', pending_since: clock.now() } : { attempt: 0, pending_step: null, pending_since: null };
      return payments.createPayment(
        { ...row, intent_id: null, client_secret: null, authorized_amount: 0, captured_amount: 0, refunded_amount: 0, fee_amount: 0, capture_before: null, action_expires_at: null, ...pending, last_error: null },
        clock.now(),
        tx,
      );
    },

    find: (bookingId: string, tx?: Transaction) => payments.find(bookingId, tx),
    /** A new price (a reschedule to another duration): the next hold or charge takes this amount. */
    setAmount: (bookingId: string, amount: number) => record(bookingId, null, { amount }),
    findMany: (bookingIds: string[]) => payments.findMany(bookingIds),

    /** The student finishes what the bank asked for (3-D Secure), or pays with another card. */
    async confirmOnSession(bookingId: string, paymentMethodId: string | null): Promise<AuthorizeOutcome> {
      const p = await load(bookingId);
      if (!p.intent_id) return 'declined';
      const attempt = p.attempt;
      if (paymentMethodId) await record(bookingId, null, { payment_method_id: paymentMethodId });
      try {
        const intent = await processor.confirmOnSession(p.intent_id, paymentMethodId, key(p, 'confirm', attempt, paymentMethodId ?? p.payment_method_id));
        if (intent.status === 'requires_capture') {
          await markAuthorized(p, intent);
          return 'authorized';
        }
        return intent.status === 'requires_action' ? 'requires_action' : 'declined';
      } catch (err) {
        if (err instanceof PaymentDeclined) {
          await record(bookingId, null, { last_error: err.code });
          return 'declined';
        }
        if (err instanceof ProcessorUnavailable) return 'unavailable';
        throw err;
      }
    },

    /**
     * Takes `amount` (the price, a no-show or cancellation fee): captures the hold (the rest is
     * released), or charges the saved card off-session when there is no hold (or it expired).
     * An amount of 0 releases the hold.
     */
    async collect(bookingId: string, amount: number, fee: number): Promise<PaymentStatus> {
      let p = await load(bookingId);
      if (amount <= 0) return this.release(bookingId);
      if (p.intent_id && (p.authorized_amount > 0 || p.pending_step === `capture:${amount}:${fee}`)) {
        p = await begin(p, `capture:${amount}:${fee}`, null);
        try {
          const intent = await processor.capture(p.intent_id!, Math.min(amount, p.authorized_amount || amount), key(p, 'capture'));
          await markCaptured(p, intent.amount_received, fee);
          return 'captured';
        } catch (err) {
          if (!(err instanceof ProcessorRejected)) unavailable(p, 'capture', err);
          logger.warn({ err, booking: bookingId }, 'capture refused; releasing the hold and charging the saved card instead');
          // Never a hold and a charge for one lesson: the refused hold is cancelled first (already
          // expired or canceled at the processor is fine).
          try {
            await processor.cancel(p.intent_id!, key(p, 'release', p.attempt));
          } catch (cancelErr) {
            if (!(cancelErr instanceof ProcessorRejected)) unavailable(p, 'release', cancelErr);
          }
          p = await record(bookingId, null, { ...done, authorized_amount: 0 });
        }
      }
      // No (usable) hold: charge the saved card off-session.
      p = await begin(p, `charge:${amount}:${fee}`, null);
      try {
        const intent = await processor.authorize({ amount, currency: p.currency, customerId: p.customer_id, paymentMethodId: p.payment_method_id, offSession: true, manualCapture: false, idempotencyKey: key(p, 'charge'), metadata: { booking_id: p.booking_id } });
        await markCaptured(p, intent.amount_received, fee, intent.id);
        return 'captured';
      } catch (err) {
        if (err instanceof PaymentDeclined || err instanceof ProcessorRejected) {
          // The lesson stays as it is (held or over); the charge for it failed.
          await record(p.booking_id, 'failed', { ...done, client_secret: null, last_error: err.code }, undefined, 'payment_failed');
          return 'failed';
        }
        unavailable(p, 'charge', err);
      }
    },

    /** Cancels the hold (nothing is charged); a saved card without a hold just stops waiting. */
    async release(bookingId: string): Promise<PaymentStatus> {
      let p = await load(bookingId);
      if (!p.intent_id || p.authorized_amount === 0 && p.pending_step !== 'release' && !(p.client_secret)) {
        await markReleased(p);
        return 'released';
      }
      p = await begin(p, 'release', null);
      try {
        await processor.cancel(p.intent_id!, key(p, 'release', p.attempt));
      } catch (err) {
        if (!(err instanceof ProcessorRejected)) unavailable(p, 'release', err);
        // Already canceled or expired at the processor: nothing is held either way.
      }
      await markReleased(p);
      return 'released';
    },

    /** Gives captured money back (all of what is left, or `amount`). */
    async refund(bookingId: string, amount?: number, opts: { resume?: boolean } = {}): Promise<PaymentStatus> {
      const p = await load(bookingId);
      const left = p.captured_amount - p.refunded_amount;
      const value = amount ?? left;
      // Two refunds at once would both count from the same refunded amount: one starts, the other is
      // refused. Reconciliation resumes the step a lost answer left pending (`resume`).
      if (!(await payments.claimStep(bookingId, `refund:${value}`, p.refunded_amount, clock.now(), opts.resume))) {
        throw new AppError('invalid_transition', 'Another refund or payment step of this booking is in progress; look at the booking again in a moment.');
      }
      try {
        await processor.refund(p.intent_id!, value, key(p, 'refund', p.refunded_amount, value));
      } catch (err) {
        if (err instanceof ProcessorRejected) {
          // The processor holds less than our record says: nothing moved; the step is not left pending.
          await record(bookingId, null, { ...done, last_error: err.message });
          throw new AppError('invalid_transition', `The payment processor refused the refund: ${err.message}`);
        }
        unavailable(p, 'refund', err);
      }
      await markRefunded(p, value);
      return (await load(bookingId)).refunded_amount >= p.captured_amount ? 'refunded' : 'partially_refunded';
    },

    /** A new booking whose hold failed for want of the processor: void whatever the lost call may have held. */
    async abandon(bookingId: string, tx: Transaction): Promise<void> {
      await record(bookingId, 'failed', { pending_step: 'void', pending_since: clock.now(), last_error: 'processor_unavailable' }, tx);
    },

    /** Voids a hold a lost call may have made: the same request (same key) returns the intent, which is then canceled. */
    async voidLost(bookingId: string): Promise<void> {
      const p = await load(bookingId);
      let intent: Intent | null = null;
      try {
        intent = await processor.authorize({ amount: p.amount, currency: p.currency, customerId: p.customer_id, paymentMethodId: p.payment_method_id, offSession: false, manualCapture: true, idempotencyKey: key(p, 'authorize', p.attempt), metadata: { booking_id: p.booking_id } });
      } catch (err) {
        // Declined or refused: nothing was held.
        if (!(err instanceof PaymentDeclined || err instanceof ProcessorRejected)) throw err;
      }
      if (intent && intent.status !== 'canceled') {
        try {
          await processor.cancel(intent.id, key(p, 'void', p.attempt));
        } catch (err) {
          if (!(err instanceof ProcessorRejected)) throw err;
        }
      }
      await record(bookingId, 'failed', { ...done, intent_id: intent?.id ?? null, last_error: 'processor_unavailable', authorized_amount: 0 });
    },

    /**
     * Applies what the processor reports about an intent (a webhook), inside the caller's
     * transaction. States only move forward (held -> captured -> refunded), so a late or
     * replayed event changes nothing. Returns the new status, or null when nothing changed.
     */
    async syncIntent(p: BookingPaymentRow, status: string, intent: Intent, tx: Transaction): Promise<PaymentStatus | null> {
      const fields = { pending_step: null, pending_since: null };
      if (intent.status === 'requires_capture' && ['requires_action', 'authorizing', 'failed'].includes(status)) {
        await record(p.booking_id, 'authorized', { ...fields, last_error: null, intent_id: intent.id, client_secret: null, authorized_amount: intent.amount_capturable || intent.amount, capture_before: intent.capture_before ?? p.capture_before, action_expires_at: null }, tx);
        return 'authorized';
      }
      if (intent.status === 'succeeded' && intent.amount_received > 0 && ['authorized', 'authorizing', 'requires_action'].includes(status)) {
        await record(p.booking_id, 'captured', { ...fields, intent_id: intent.id, captured_amount: intent.amount_received, client_secret: null }, tx, 'payment_captured');
        return 'captured';
      }
      if (intent.status === 'succeeded' && intent.amount_refunded > p.refunded_amount && ['captured', 'partially_refunded'].includes(status)) {
        await record(p.booking_id, intent.amount_refunded >= p.captured_amount ? 'refunded' : 'partially_refunded', { ...fields, refunded_amount: intent.amount_refunded }, tx, 'payment_refunded');
        return intent.amount_refunded >= p.captured_amount ? 'refunded' : 'partially_refunded';
      }
      if (intent.status === 'canceled' && status === 'authorized' && intent.id === p.intent_id) {
        await record(p.booking_id, 'released', { ...fields, authorized_amount: 0 }, tx);
        return 'released';
      }
      if (intent.status === 'requires_payment_method' && intent.decline_code) {
        await record(p.booking_id, null, { last_error: intent.decline_code }, tx);
      }
      return null;
    },
    findByIntent: (intentId: string, tx?: Transaction) => payments.findByIntent(intentId, tx),
    markEventProcessed: (id: string, type: string, tx: Transaction) => payments.markEventProcessed(id, type, clock.now(), tx),

    /** Payments whose processor call never recorded its outcome (older than `olderThanMs`). */
    stuck: (olderThanMs: number) => payments.stuck(new Date(clock.now().getTime() - olderThanMs), 50),
  };
}

export type PaymentService = ReturnType<typeof paymentService>;
