import type { Transaction } from 'sequelize';
import type { Logger } from 'pino';
import { DateTime } from 'luxon';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { PaymentSettings } from '../platform/config.js';
import type { MailOutbox } from '../platform/outbox.js';
import { AppError } from '../platform/errors.js';
import type { JobScheduler } from '../jobs/service.js';
import type { AccountRepository } from '../accounts/repository.js';
import type { InstructorRepository } from '../instructors/repository.js';
import type { AuthorizeOutcome, PaymentService, PaymentStatus } from '../payments/service.js';
import type { BookingPaymentRow } from '../payments/repository.js';
import { ProcessorUnavailable, type Intent } from '../payments/processor.js';
import { paymentLink } from '../payments/payment-link.js';
import { cancellationFeePercent, DEFAULT_CANCELLATION_POLICY, paymentPlan, percentOf } from '../payments/policy.js';
import type { BookingRepository, BookingRow } from './repository.js';

/** How long a processor call may stay unrecorded before reconciliation finishes it. */
const STUCK_AFTER_MS = 2 * 60_000;

interface Deps {
  db: Db;
  clock: Clock;
  bookings: BookingRepository;
  accounts: AccountRepository;
  instructors: InstructorRepository;
  payments: PaymentService;
  jobs: JobScheduler;
  outbox: MailOutbox;
  settings: PaymentSettings;
  publicUrl: string;
  /** Signs the link in the "fix your payment" mail (payments/payment-link.ts). */
  linkSecret: string;
  logger: Logger;
  /** Mails both participants about a booking change (in the outbox, same transaction). */
  announce(kind: 'booking-confirmed' | 'booking-cancelled', b: BookingRow, tx: Transaction): Promise<unknown>;
  onPublicChange(instructorId: string): Promise<void>;
}

const jobKey = (bookingId: string, what: 'authorize' | 'expire') => `booking:${bookingId}:${what}`;

/**
 * What happens to a booking when its payment moves: a hold confirms it, a decline or an expired
 * grace cancels it and frees its time, a saved card is authorized off-session before the lesson
 * (jobs `payment.authorize`, `payment.expire`), and `payment.reconcile` finishes processor calls
 * whose outcome was never recorded.
 */
export function paymentFlow(d: Deps) {
  const { db, clock, bookings, payments, jobs, settings, logger } = d;

  /**
   * Cancels a booking whose payment did not go through (its time is free again): a failed
   * payment in its history, and a cancellation if it had been created for the world to see
   * (a booking whose first hold was declined never was).
   */
  async function cancelUnpaid(b: BookingRow, reason: string, tx: Transaction, announce: boolean): Promise<BookingRow> {
    const created = (await bookings.eventCount(b.id, tx)) > 0;
    const updated = await bookings.update(b.id, { status: 'cancelled', cancelled_at: clock.now(), cancellation_reason: reason }, tx);
    await bookings.addEvent(b.id, 'payment_failed', null, { reason }, tx);
    if (created) await bookings.addEvent(b.id, 'cancelled', null, { by: 'system', reason }, tx);
    // Mails only to those who were told of the booking (a confirmed one).
    if (announce) await d.announce('booking-cancelled', updated, tx);
    return updated;
  }

  /** A new booking's first history entry, once its hold is in place or waits for the student. */
  const recordCreated = (b: BookingRow, tx: Transaction) => bookings.addEvent(b.id, 'created', b.student_id, { start_at: b.start_at, end_at: b.end_at }, tx);

  /** Applies the outcome of a new booking's hold: confirmed, waiting for the student, or cancelled. */
  async function applyHold(bookingId: string, outcome: AuthorizeOutcome, tx: Transaction): Promise<BookingRow> {
    const b = (await bookings.find(bookingId, tx))!;
    if (b.status !== 'pending') return b;
    const announced = (await bookings.eventCount(b.id, tx)) > 0;
    if (outcome === 'authorized') {
      const updated = await bookings.update(b.id, { status: 'confirmed' }, tx);
      // booking.created + booking.confirmed (or .confirmed after 3-D Secure), then the mails, then the payment.
      await (announced ? bookings.addEvent(b.id, 'confirmed', null, {}, tx) : recordCreated(updated, tx));
      await d.announce('booking-confirmed', updated, tx);
      await bookings.addEvent(b.id, 'payment_authorized', null, {}, tx);
      return updated;
    }
    if (outcome === 'requires_action') {
      if (!announced) await recordCreated(b, tx);
      const p = await payments.find(b.id);
      await jobs.enqueue('payment.expire', { booking_id: b.id }, { key: jobKey(b.id, 'expire'), runAt: p?.action_expires_at ?? clock.now(), tx, replace: true });
      return b;
    }
    if (outcome === 'declined') return cancelUnpaid(b, 'The card was declined.', tx, false);
    return b; // unavailable: reconciliation tries again
  }

  /** Tells the student an off-session authorization failed and keeps the time until the grace ends. */
  async function askStudentToFix(b: BookingRow, tx: Transaction): Promise<void> {
    const p = await payments.find(b.id);
    const student = await d.accounts.findUserById(b.student_id, tx);
    const instructor = await d.accounts.findUserById(b.instructor_id, tx);
    const service = await d.instructors.findService(b.service_id, tx);
    if (!p || !student || !instructor) return;
    const zone = student.timezone;
    const start = DateTime.fromISO(b.start_at, { zone });
    const until = DateTime.fromJSDate(p.action_expires_at ?? clock.now(), { zone });
    await d.outbox.enqueue(tx, [
      {
        to: student.email,
        template: 'payment-action-required',
        data: {
          recipient_name: student.full_name,
          other_party_name: instructor.full_name,
          skill: service?.skill ?? '',
          date_label: start.toFormat('cccc, d LLLL yyyy'),
          time_label: `${start.toFormat('HH:mm')}–${DateTime.fromISO(b.end_at, { zone }).toFormat('HH:mm')}`,
          timezone: zone,
          price_label: `${(b.price_amount / 100).toFixed(2)} ${b.currency}`,
          booking_id: b.id,
          fix_url: paymentLink(d.publicUrl, d.linkSecret, b.id, b.student_id),
          deadline_label: until.toFormat("cccc, d LLLL yyyy, HH:mm"),
        },
      },
    ]);
    await jobs.enqueue('payment.expire', { booking_id: b.id }, { key: jobKey(b.id, 'expire'), runAt: p.action_expires_at ?? clock.now(), tx, replace: true });
    await bookings.addEvent(b.id, 'payment_action_required', null, { until: p.action_expires_at }, tx);
  }

  /** Authorizes a saved card off-session (the job, a reschedule into the hold window, reconciliation). */
  async function authorizeSaved(bookingId: string): Promise<void> {
    const b = await bookings.find(bookingId);
    if (!b || !['pending', 'confirmed'].includes(b.status)) return;
    const outcome = await payments.authorize(bookingId, { offSession: true, lessonStart: new Date(b.start_at) });
    if (outcome === 'requires_action') await db.transaction((tx) => askStudentToFix(b, tx));
    else if (outcome === 'authorized') await db.transaction((tx) => bookings.addEvent(b.id, 'payment_authorized', null, { off_session: true }, tx));
    void jobs.kick();
  }

  /** Runs a money step after commit; a processor outage leaves it to reconciliation (the booking change stands). */
  async function settle(step: () => Promise<unknown>): Promise<void> {
    try {
      await step();
    } catch (err) {
      if (!(err instanceof ProcessorUnavailable)) throw err;
    }
  }

  jobs.define('payment.authorize', async (p: { booking_id: string }) => {
    const payment = await payments.find(p.booking_id);
    if (payment && (await bookings.find(p.booking_id))?.payment_status === 'card_saved') await authorizeSaved(p.booking_id);
  });

  jobs.define('payment.expire', async (p: { booking_id: string }) => {
    const b = await bookings.find(p.booking_id);
    if (!b || b.payment_status !== 'requires_action' || !['pending', 'confirmed'].includes(b.status)) return;
    await db.transaction(async (tx) => {
      const current = (await bookings.find(p.booking_id, tx))!;
      if (current.payment_status !== 'requires_action') return;
      // A confirmed booking (saved card) was announced: both hear of the cancellation.
      await cancelUnpaid(current, 'The payment was not completed in time.', tx, current.status === 'confirmed');
    });
    await settle(() => payments.release(p.booking_id));
    await bookings.setPaymentStatus(p.booking_id, 'failed');
    await d.onPublicChange(b.instructor_id);
    void jobs.kick();
  });

  jobs.every('payment.reconcile', 60_000, async () => {
    for (const p of await payments.stuck(STUCK_AFTER_MS)) {
      const step = p.pending_step ?? '';
      try {
        if (step === 'authorize') {
          const b = (await bookings.find(p.booking_id))!;
          const outcome = await payments.authorize(p.booking_id, { offSession: false, lessonStart: new Date(b.start_at) });
          await db.transaction((tx) => applyHold(p.booking_id, outcome, tx));
          if (outcome === 'authorized' && b.status !== 'pending') await settle(() => payments.release(p.booking_id));
        } else if (step === 'authorize_off') await authorizeSaved(p.booking_id);
        else if (step === 'void') await payments.voidLost(p.booking_id);
        else if (step === 'release') await payments.release(p.booking_id);
        else if (step.startsWith('capture:') || step.startsWith('charge:')) {
          const [, amount, fee] = step.split(':').map(Number);
          await payments.collect(p.booking_id, amount ?? 0, fee ?? 0);
        } else if (step.startsWith('refund:')) await payments.refund(p.booking_id, Number(step.split(':')[1]), { resume: true });
        logger.info({ booking: p.booking_id, step }, 'payment step reconciled');
      } catch (err) {
        logger.warn({ err, booking: p.booking_id, step }, 'payment step still not reconciled');
      }
    }
  });

  return {
    applyHold,

    /**
     * A processor webhook about a PaymentIntent, deduplicated by event id in the same transaction
     * as its effect. Out-of-order and replayed events are harmless: states only move forward.
     */
    async applyIntentEvent(eventId: string, type: string, intent: Intent, bookingHint: string | null): Promise<'applied' | 'duplicate' | 'ignored'> {
      let followUp: (() => Promise<unknown>) | undefined;
      let instructorId: string | undefined;
      const outcome = await db.transaction(async (tx) => {
        if (!(await payments.markEventProcessed(eventId, type, tx))) return 'duplicate' as const;
        // Which booking (an unlocked read), then its rows in the one lock order every writer
        // uses, the booking before its payment, so this never deadlocks with a payment step.
        const found = (await payments.findByIntent(intent.id)) ?? (bookingHint ? await payments.find(bookingHint) : null);
        if (!found) return 'ignored' as const;
        const b = (await bookings.find(found.booking_id, tx))!;
        const p = (await payments.find(found.booking_id, tx))!;
        instructorId = b.instructor_id;
        const to = await payments.syncIntent(p, b.payment_status, intent, tx);
        if (to === 'authorized') {
          await jobs.cancel(jobKey(b.id, 'expire'), tx);
          if (b.status === 'pending') await applyHold(b.id, 'authorized', tx);
          // A saved card's hold the student finished outside the API (Stripe.js, 3-D Secure): held
          // now, announced here (payment.authorized). An off-session call still in flight
          // (`authorizing`) announces its own outcome in authorizeSaved.
          else if (b.status === 'confirmed' && b.payment_status !== 'authorizing') await bookings.addEvent(b.id, 'payment_authorized', null, { via: 'processor_event' }, tx);
          // Held after all for a booking that is gone: give it back.
          else if (b.status === 'cancelled') followUp = () => settle(() => payments.release(b.id));
        }
        if (to === 'released' && (b.status === 'confirmed' || b.status === 'pending')) {
          // The hold expired at the processor before the lesson: authorize the saved card again.
          await payments.markCardSaved(p, clock.now(), tx);
          await jobs.enqueue('payment.authorize', { booking_id: b.id }, { key: jobKey(b.id, 'authorize'), runAt: clock.now(), tx, replace: true });
        }
        return to ? ('applied' as const) : ('ignored' as const);
      });
      await followUp?.();
      if (instructorId && outcome === 'applied') await d.onPublicChange(instructorId);
      void jobs.kick();
      return outcome;
    },

    /** A webhook that only needs recording (or a follow-up job written in the same transaction). */
    async recordEvent(eventId: string, type: string, then?: (tx: Transaction) => Promise<unknown>): Promise<'applied' | 'duplicate'> {
      const outcome = await db.transaction(async (tx) => {
        if (!(await payments.markEventProcessed(eventId, type, tx))) return 'duplicate' as const;
        await then?.(tx);
        return 'applied' as const;
      });
      void jobs.kick();
      return outcome;
    },

    /** Inside the booking's transaction: the payment row, and the off-session job for a saved card. */
    async open(tx: Transaction, b: BookingRow, card: { id: string; customer_id: string }, processor: string, plan: ReturnType<typeof paymentPlan>): Promise<BookingPaymentRow> {
      const opened = await payments.open(tx, { booking_id: b.id, processor, amount: b.price_amount, currency: b.currency, customer_id: card.customer_id, payment_method_id: card.id, authorize_at: plan.hold ? null : plan.authorizeAt }, { holdNow: plan.hold });
      if (!plan.hold) await jobs.enqueue('payment.authorize', { booking_id: b.id }, { key: jobKey(b.id, 'authorize'), runAt: plan.authorizeAt, tx });
      return opened;
    },

    /** After the booking committed: the hold. Throws the client's problem on a decline or an outage. */
    async hold(bookingId: string, finish: (b: BookingRow, tx: Transaction) => Promise<unknown>): Promise<void> {
      const b = (await bookings.find(bookingId))!;
      // Resuming a booking whose hold was recorded but not applied: never hold twice.
      const outcome = b.payment_status === 'authorized' ? 'authorized' : await payments.authorize(bookingId, { offSession: false, lessonStart: new Date(b.start_at) });
      if (outcome === 'unavailable') {
        await db.transaction(async (tx) => {
          await cancelUnpaid(b, 'The payment processor did not answer.', tx, false);
          await payments.abandon(bookingId, tx);
        });
        await d.onPublicChange(b.instructor_id);
        throw new AppError('payment_processor_unavailable', 'The payment processor did not answer, so nothing was booked or held. Retry in a moment.', { retry_after: 5 });
      }
      const updated = await db.transaction(async (tx) => {
        const after = await applyHold(bookingId, outcome, tx);
        if (outcome !== 'declined') await finish(after, tx);
        return after;
      });
      if (outcome === 'declined') {
        await d.onPublicChange(updated.instructor_id);
        throw new AppError('payment_declined', 'The card was declined, so the lesson was not booked. Try another card (POST /v1/me/payment-methods).');
      }
    },

    /** After a student's 3-D Secure (or a new card): the booking is confirmed when the hold is in place. */
    async confirm(b: BookingRow, paymentMethodId: string | null): Promise<void> {
      const outcome = await payments.confirmOnSession(b.id, paymentMethodId);
      if (outcome === 'unavailable') throw new AppError('payment_processor_unavailable', 'The payment processor did not answer. Retry in a moment.', { retry_after: 5 });
      if (outcome === 'declined') throw new AppError('payment_declined', 'The card was declined. Try another card.');
      if (outcome === 'authorized') {
        await jobs.cancel(jobKey(b.id, 'expire'));
        await db.transaction(async (tx) => {
          if (b.status === 'pending') await applyHold(b.id, 'authorized', tx);
          else await bookings.addEvent(b.id, 'payment_authorized', null, { on_session: true }, tx);
        });
      }
    },

    /** The fee for cancelling now, by who cancels and the instructor's policy (percent of the price). */
    async cancellationFee(b: BookingRow, by: string, tx: Transaction): Promise<number> {
      if (by !== 'student' || !['authorized', 'card_saved'].includes(b.payment_status)) return 0;
      const profile = await d.instructors.findProfile(b.instructor_id, tx);
      const hoursBefore = (new Date(b.start_at).getTime() - clock.now().getTime()) / 3_600_000;
      return percentOf(b.price_amount, cancellationFeePercent(profile?.cancellation_policy ?? DEFAULT_CANCELLATION_POLICY, hoursBefore));
    },

    /** Inside the cancel's transaction: no more scheduled payment steps. */
    async stopScheduled(bookingId: string, tx: Transaction): Promise<void> {
      await jobs.cancel(jobKey(bookingId, 'authorize'), tx);
      await jobs.cancel(jobKey(bookingId, 'expire'), tx);
    },

    /** After a cancellation committed: the fee (student, late), or a release or full refund. */
    async afterCancel(b: BookingRow, fee: number): Promise<void> {
      if (b.payment_status === 'not_required') return;
      if (b.payment_status === 'captured' || b.payment_status === 'partially_refunded') return settle(() => payments.refund(b.id));
      await settle(() => (fee > 0 ? payments.collect(b.id, fee, fee) : payments.release(b.id)));
    },

    /** After a lesson was marked completed (the full price) or no-show (the instructor's no-show fee). */
    async afterFinish(b: BookingRow, to: 'completed' | 'no_show'): Promise<void> {
      if (b.payment_status === 'not_required') return;
      const profile = await d.instructors.findProfile(b.instructor_id);
      const fee = to === 'no_show' ? percentOf(b.price_amount, profile?.no_show_fee_percent ?? settings.noShowFeePercent) : 0;
      await settle(() => payments.collect(b.id, to === 'completed' ? b.price_amount : fee, fee));
    },

    /** After a reschedule: keep a hold that still covers the new time; otherwise hold again or go back to the saved card. */
    async afterReschedule(b: BookingRow, previousStatus: PaymentStatus | string): Promise<void> {
      const p = await payments.find(b.id);
      if (!p || !['authorized', 'card_saved'].includes(previousStatus)) return;
      const start = new Date(b.start_at);
      const end = new Date(b.end_at);
      const repriced = p.amount !== b.price_amount;
      if (repriced) await payments.setAmount(b.id, b.price_amount);
      if (previousStatus === 'authorized' && !repriced && p.capture_before && end <= p.capture_before) return;
      if (previousStatus === 'authorized') await settle(() => payments.release(b.id));
      const plan = paymentPlan(start, end, clock.now(), settings);
      if (plan.hold) return settle(() => authorizeSaved(b.id));
      await db.transaction(async (tx) => {
        await payments.markCardSaved(p, plan.authorizeAt, tx);
        await jobs.enqueue('payment.authorize', { booking_id: b.id }, { key: jobKey(b.id, 'authorize'), runAt: plan.authorizeAt, tx, replace: true });
      });
    },

    /** An admin's refund: all that is left, or `amount`. */
    async refund(b: BookingRow, amount?: number): Promise<void> {
      const p = await payments.find(b.id);
      if (!p || !['captured', 'partially_refunded'].includes(b.payment_status)) throw new AppError('invalid_transition', `Only captured payments can be refunded; this one is ${b.payment_status}.`);
      const left = p.captured_amount - p.refunded_amount;
      if (amount !== undefined && (amount > left || amount <= 0)) throw new AppError('invalid_amount', `At most ${left} (minor units) can still be refunded.`, { errors: [{ path: '/body/amount', message: `must be between 1 and ${left}` }] });
      try {
        await payments.refund(b.id, amount);
      } catch (err) {
        if (err instanceof ProcessorUnavailable) throw new AppError('payment_processor_unavailable', 'The payment processor did not answer; the refund will be retried automatically.', { retry_after: 5 });
        throw err;
      }
    },
  };
}

export type PaymentFlow = ReturnType<typeof paymentFlow>;
