import type { Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { MailOutbox } from '../platform/outbox.js';
import type { SaveResponse } from '../platform/idempotency.js';
import { AppError } from '../platform/errors.js';
import { assertDate } from '../platform/time.js';
import { decodeCursor, pageOf } from '../platform/pagination.js';
import type { Role } from '../platform/tokens.js';
import type { AccountRepository } from '../accounts/repository.js';
import type { InstructorRepository } from '../instructors/repository.js';
import type { AvailabilityRepository } from '../availability/repository.js';
import type { BookingRepository, BookingRow, BookingStatus } from './repository.js';
import { checkLesson, type LessonRequest } from './checks.js';
import { PersonBusyError } from './busy.js';
import { lessonPrice, placeLesson, TRANSITIONS } from './rules.js';
import { bookingView, type BookingView } from './view.js';
import { BOOKING_MAIL, bookingMailFacts, composeBookingMail, type Participant } from './notifications.js';
import type { SearchIndex } from '../search/index-writer.js';
import type { PaymentFlow } from './payment-flow.js';
import type { PaymentService } from '../payments/service.js';
import type { BookingPaymentRow } from '../payments/repository.js';
import type { CardService } from '../payments/cards.js';
import { paymentPlan } from '../payments/policy.js';
import type { PaymentSettings } from '../platform/config.js';
import type { JobScheduler } from '../jobs/service.js';

interface Deps {
  db: Db;
  clock: Clock;
  bookings: BookingRepository;
  accounts: AccountRepository;
  instructors: InstructorRepository;
  availability: AvailabilityRepository;
  outbox: MailOutbox;
  jobs: JobScheduler;
  /** The most active future bookings one student may hold with one instructor (STUDENT_BOOKING_LIMIT). */
  studentBookingLimit: number;
  /** Called after a committed change that alters an instructor's public free time. */
  onPublicChange(instructorId: string): Promise<void>;
  /** Keeps search's bookable days in step with held time, in the booking's transaction. */
  search: Pick<SearchIndex, 'bookingChanged'>;
  /** Payments: the money state, students' cards, and the booking's reactions to payment steps. */
  payments: PaymentService;
  cards: CardService;
  processorName: string;
  paymentSettings: PaymentSettings;
  /** Built once the booking service's own `announce` exists. */
  flow: (announce: (kind: 'booking-confirmed' | 'booking-cancelled', b: BookingRow, tx: Transaction) => Promise<unknown>) => PaymentFlow;
}

type Actor = { userId: string; role: Role };
type MailKind = Parameters<typeof bookingMailFacts>[0];

/** The job that wrote a booking change's mails after it committed, before they were written in the change itself. */
const LEGACY_BOOKING_MAIL_JOB = 'booking.mail';
interface LegacyBookingMail {
  kind: MailKind;
  /** The booking as the change left it (instants as ISO strings). */
  booking: BookingRow;
  sequence: number;
  previous?: Pick<BookingRow, 'start_at' | 'end_at'>;
}

export interface BookingRequest extends LessonRequest {
  instructor_id: string;
  service_id: string;
  note?: string;
  payment_method_id?: string;
}

const notFound = () => new AppError('not_found', 'No such booking. List yours with GET /v1/bookings.');

/** The busy table's exclusion constraint (the final guard) refused a person: the code names that person's role in this booking. */
function constraintConflict(err: unknown): AppError | null {
  if (!(err instanceof PersonBusyError)) return null;
  return err.role === 'student'
    ? new AppError('student_conflict', 'The student was just booked for another lesson at this time. Pick a time that does not overlap it.')
    : new AppError('instructor_conflict', 'The instructor was just booked at this time. Pick another time.');
}

/** Booking a lesson and its lifecycle: every rule checked inside one transaction the database serializes. */
export function bookingService({ db, clock, bookings, accounts, instructors, availability, outbox, jobs, studentBookingLimit, onPublicChange, search, payments, cards, processorName, paymentSettings, flow: makeFlow }: Deps) {
  /** What a caller may already have at hand for a booking's view: its skill, its two people. */
  type Known = { skill?: string; people?: Participant[]; payment?: BookingPaymentRow };

  /** Both people of a booking (one query) and its skill. */
  async function participants(b: Pick<BookingRow, 'instructor_id' | 'student_id' | 'service_id'>, tx?: Transaction, { skill, people: given }: Known = {}) {
    const people = given ?? (await accounts.findUsersByIds([b.instructor_id, b.student_id], tx));
    const instructor = people.find((u) => u.id === b.instructor_id);
    const student = people.find((u) => u.id === b.student_id);
    if (!instructor || !student) throw notFound();
    const known = skill ?? (await instructors.findService(b.service_id, tx))?.skill ?? '';
    return { instructor: instructor as Participant, student: student as Participant, skill: known };
  }

  type Participants = Awaited<ReturnType<typeof participants>>;

  async function present(b: BookingRow, p: Participants, viewerId?: string, tx?: Transaction, known?: BookingPaymentRow): Promise<BookingView> {
    const payment = b.payment_status === 'not_required' ? null : (known ?? (await payments.find(b.id, tx)));
    return bookingView(b, { instructor: { id: p.instructor.id, full_name: p.instructor.full_name }, student: { id: p.student.id, full_name: p.student.full_name }, skill: p.skill }, payment, viewerId === b.student_id);
  }

  /** The booking as `viewerId` sees it (only the student sees the payment's client secret). */
  async function view(b: BookingRow, tx?: Transaction, viewerId?: string): Promise<BookingView> {
    return present(b, await participants(b, tx), viewerId, tx);
  }

  /**
   * Tells both participants about the change and returns the booking as shown: two `mail.send`
   * jobs in the change's transaction (the outbox) holding the facts of the change; the mails and
   * their ICS files are composed when they are delivered, never inside the booking's write lock.
   */
  async function announce(kind: MailKind, b: BookingRow, tx: Transaction, previous?: BookingRow, known: Known & { sequence?: number } = {}): Promise<BookingView> {
    const p = await participants(b, tx, known);
    const sequence = known.sequence ?? (await sequenceOf(b.id, tx));
    await outbox.enqueueDeferred(tx, bookingMailFacts(kind, b, p.skill, p.student, p.instructor, sequence, previous));
    return present(b, p, b.student_id, tx, known.payment);
  }
  outbox.composer(BOOKING_MAIL, composeBookingMail);
  // Written by versions before mail was composed at delivery: such jobs still in a database (an
  // upgrade, a restored backup) write their two mails as they did. Keyed by change and recipient.
  jobs.define(LEGACY_BOOKING_MAIL_JOB, async ({ kind, booking, sequence, previous }: LegacyBookingMail) => {
    const p = await participants(booking);
    const mails = bookingMailFacts(kind, booking, p.skill, p.student, p.instructor, sequence, previous).map((m) => composeBookingMail(m.data));
    await db.transaction((tx) => outbox.enqueue(tx, mails, (m) => `mail:${booking.id}:${kind}:${sequence}:${m.to}`));
  });
  const flow = makeFlow((kind, b, tx) => announce(kind, b, tx));

  /** The booking if the actor takes part in it (or is an admin); to anyone else it does not exist. */
  async function visible(actor: Actor, id: string, tx?: Transaction): Promise<BookingRow> {
    const b = await bookings.find(id, tx);
    if (!b || (actor.role !== 'admin' && b.student_id !== actor.userId && b.instructor_id !== actor.userId)) throw notFound();
    return b;
  }

  /** Runs a write; maps constraint violations; after commit, invalidates the instructor's public answers and sends mail. */
  async function write(fn: (tx: Transaction) => Promise<BookingView>, after?: (committed: BookingView) => Promise<BookingView>): Promise<BookingView> {
    let result: BookingView;
    try {
      result = await db.transaction(fn);
    } catch (err) {
      throw constraintConflict(err) ?? err;
    }
    try {
      if (after) result = await after(result);
    } finally {
      await onPublicChange(result.instructor_id);
      void outbox.flush();
    }
    return result;
  }

  /** The booking again, as the actor sees it now (after a payment step). */
  async function fresh(id: string, viewerId: string): Promise<BookingView> {
    return view((await bookings.find(id))!, undefined, viewerId);
  }

  /** The ICS SEQUENCE of the booking's latest change: 0 when created, one more for each change. */
  async function sequenceOf(bookingId: string, tx: Transaction): Promise<number> {
    return (await bookings.eventCount(bookingId, tx)) - 1;
  }

  function transition(b: BookingRow, to: BookingStatus): void {
    if (!TRANSITIONS[b.status]?.includes(to)) {
      throw new AppError('invalid_transition', `A ${b.status} booking cannot become ${to}.`);
    }
  }

  return {
    view,
    /** The booking's reactions to payment events (the Stripe webhook uses it). */
    paymentFlow: flow,

    /** Books a lesson for the actor; `save` stores the idempotent response in the same transaction; `via` is the partner site's key. */
    async create(actor: Actor, input: BookingRequest, save?: SaveResponse, via?: { keyId: string }): Promise<BookingView> {
      if (actor.role === 'admin') throw new AppError('forbidden', 'Admins cannot book lessons; sign in as a student.');
      assertDate(input.date, '/body/date');
      let holdNow = false;
      // The two people, read before the write transaction (outside its lock): their names for the answer.
      const people: Participant[] = await accounts.findUsersByIds([input.instructor_id, actor.userId]);
      return write(async (tx) => {
        // The profile, locked (with the service, one query): the same lock as availability writes, so a blackout or range change
        // cannot slip in between this booking's checks and its commit (PostgreSQL; SQLite
        // serializes writes anyway).
        const { profile, service } = await instructors.findProfileWithService(input.instructor_id, input.service_id, tx);
        if (!profile?.published) throw new AppError('not_found', 'No such instructor. Find instructors with GET /v1/instructors.');
        if (actor.userId === input.instructor_id) throw new AppError('cannot_book_self', 'You cannot book a lesson with yourself.');
        if (!service) throw new AppError('not_found', 'This instructor has no such service. See GET /v1/instructors/{id}.');
        // A paid lesson: a retry of a request that died between creating the booking and recording
        // its hold (the database went away) finishes that booking instead of conflicting with it.
        // Only a lesson held at booking can be unfinished (a retry comes later, still inside the hold window).
        const at = placeLesson(input.date, input.start_time, input.duration_minutes, profile.timezone, profile.buffer_minutes);
        if (service.hourly_rate > 0 && paymentPlan(at.start_at, at.end_at, clock.now(), paymentSettings).hold) {
          const unfinished = await bookings.findAuthorizing(actor.userId, { instructor_id: input.instructor_id, service_id: input.service_id, date: input.date, start_time: input.start_time, duration_minutes: input.duration_minutes }, tx);
          if (unfinished) {
            holdNow = true;
            return view(unfinished, tx, actor.userId);
          }
        }
        const placed = await checkLesson({ clock, bookings }, { profile, service, studentId: actor.userId, excludeId: null, bookingLimit: studentBookingLimit }, input, tx);
        const price = lessonPrice(service.hourly_rate, input.duration_minutes);
        // A paid lesson needs a card: held now when it ends within the hold window, else saved and authorized later.
        const card = price > 0 ? await cards.cardFor(actor.userId, input.payment_method_id, tx) : null;
        const customer = card?.customer_id ?? null;
        const plan = card ? paymentPlan(placed.start_at, placed.end_at, clock.now(), paymentSettings) : null;
        holdNow = plan?.hold ?? false;
        const booking = await bookings.create(
          {
            instructor_id: input.instructor_id,
            student_id: actor.userId,
            service_id: service.id,
            status: holdNow ? 'pending' : 'confirmed',
            date: input.date,
            start_time: input.start_time,
            end_time: placed.end_time,
            timezone: profile.timezone,
            start_at: placed.start_at,
            end_at: placed.end_at,
            blocked_until: placed.blocked_until,
            duration_minutes: input.duration_minutes,
            location_type: input.location_type,
            price_amount: price,
            currency: service.currency,
            payment_status: !plan ? 'not_required' : plan.hold ? 'authorizing' : 'card_saved',
            note: input.note ?? null,
            ...(via ? { source_kind: 'widget' as const, source_key_id: via.keyId } : {}),
          },
          tx,
        );
        await search.bookingChanged(tx, booking);
        const payment = card && plan && customer ? await flow.open(tx, booking, { id: card.id, customer_id: customer }, processorName, plan) : undefined;
        // Held now: the booking is announced (history, mails, webhooks) once the hold is in place
        // or waits for the student, after commit and outside the write lock.
        if (holdNow) return view(booking, tx, actor.userId);
        await bookings.addEvent(booking.id, 'created', actor.userId, { start_at: booking.start_at, end_at: booking.end_at }, tx);
        // A new booking's invite is the first of its series (SEQUENCE 0).
        const result = await announce('booking-confirmed', booking, tx, undefined, { skill: service.skill, people, sequence: 0, payment });
        await save?.(tx, { status: 201, body: result });
        return result;
      }, async (created) => {
        if (!holdNow) return created;
        let body = created;
        await flow.hold(created.id, async (b, tx) => {
          body = await view(b, tx, actor.userId);
          await save?.(tx, { status: 201, body });
        });
        return body;
      });
    },

    /** The student completes the bank's check (3-D Secure) or pays with another card. */
    async confirmPayment(actor: Actor, id: string, paymentMethodId?: string): Promise<BookingView> {
      const b = await visible(actor, id);
      if (b.student_id !== actor.userId) throw new AppError('forbidden', 'Only the student of this lesson can confirm its payment.');
      if (b.payment_status !== 'requires_action' || !['pending', 'confirmed'].includes(b.status)) throw new AppError('invalid_transition', `Nothing to confirm: the payment is ${b.payment_status}.`);
      if (paymentMethodId) await db.transaction((tx) => cards.cardFor(actor.userId, paymentMethodId, tx));
      await flow.confirm(b, paymentMethodId ?? null);
      await onPublicChange(b.instructor_id);
      void outbox.flush();
      return fresh(id, actor.userId);
    },

    /** An admin refunds captured money (all that is left, or `amount`). */
    async refund(actor: Actor, id: string, amount?: number): Promise<BookingView> {
      if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins can refund payments.');
      const b = await visible(actor, id);
      await flow.refund(b, amount);
      return fresh(id, actor.userId);
    },

    async get(actor: Actor, id: string): Promise<BookingView> {
      return view(await visible(actor, id), undefined, actor.userId);
    },

    /** The actor's bookings (admins: all), ordered by start time. */
    async list(actor: Actor, q: { role?: 'student' | 'instructor'; status?: string; from?: string; to?: string; limit: number; cursor?: string }) {
      const after = decodeCursor<{ start_at: string; id: string }>(q.cursor, ['start_at', 'id']);
      if (q.from) assertDate(q.from, '/query/from');
      if (q.to) assertDate(q.to, '/query/to');
      const rows = await bookings.list(
        {
          userId: actor.role === 'admin' && !q.role ? null : actor.userId,
          role: q.role,
          status: q.status,
          // On the booking's own (instructor-local) date, inclusive: not the UTC day its start falls on.
          from: q.from,
          to: q.to,
          after,
        },
        q.limit,
      );
      const page = pageOf(rows, q.limit, (b) => b, (b) => ({ start_at: b.start_at, id: b.id }));
      return { data: await Promise.all(page.data.map((b) => view(b, undefined, actor.userId))), next_cursor: page.next_cursor };
    },

    /** Cancels an active booking (either participant or an admin), recording who, when and why. */
    async cancel(actor: Actor, id: string, reason?: string): Promise<BookingView> {
      let before: BookingRow | undefined;
      let fee = 0;
      return write(
        async (tx) => {
          const b = await visible(actor, id, tx);
          transition(b, 'cancelled');
          before = b;
          const by = actor.role === 'admin' ? 'admin' : actor.userId === b.instructor_id ? 'instructor' : 'student';
          fee = await flow.cancellationFee(b, by, tx);
          await flow.stopScheduled(b.id, tx);
          const updated = await bookings.update(b.id, { status: 'cancelled', cancelled_at: clock.now(), cancelled_by: by, cancellation_reason: reason ?? null }, tx);
          await search.bookingChanged(tx, b);
          await bookings.addEvent(b.id, 'cancelled', actor.userId, { by, reason: reason ?? null, fee_amount: fee }, tx);
          return announce('booking-cancelled', updated, tx);
        },
        async () => {
          await flow.afterCancel(before!, fee);
          return fresh(id, actor.userId);
        },
      );
    },

    /** Moves an active booking atomically, with every rule checked (ignoring itself); the id stays. */
    async reschedule(actor: Actor, id: string, input: { date: string; start_time: string; duration_minutes?: number }): Promise<BookingView> {
      assertDate(input.date, '/body/date');
      let previousPayment = 'not_required';
      return write(async (tx) => {
        const b = await visible(actor, id, tx);
        previousPayment = b.payment_status;
        await availability.lockInstructor(b.instructor_id, tx);
        if (!['pending', 'confirmed'].includes(b.status)) throw new AppError('invalid_transition', `A ${b.status} booking cannot be rescheduled.`);
        const profile = await instructors.findProfile(b.instructor_id, tx);
        const service = await instructors.findService(b.service_id, tx);
        if (!profile || !service) throw notFound();
        const lesson = { date: input.date, start_time: input.start_time, duration_minutes: input.duration_minutes ?? b.duration_minutes, location_type: b.location_type };
        const placed = await checkLesson({ clock, bookings }, { profile, service, studentId: b.student_id, excludeId: b.id }, lesson, tx);
        const updated = await bookings.update(
          b.id,
          {
            date: lesson.date,
            start_time: lesson.start_time,
            end_time: placed.end_time,
            timezone: profile.timezone,
            start_at: placed.start_at,
            end_at: placed.end_at,
            blocked_until: placed.blocked_until,
            duration_minutes: lesson.duration_minutes,
            price_amount: lessonPrice(service.hourly_rate, lesson.duration_minutes),
          },
          tx,
        );
        await search.bookingChanged(tx, b, updated);
        await bookings.addEvent(b.id, 'rescheduled', actor.userId, { from: { start_at: b.start_at, end_at: b.end_at }, to: { start_at: updated.start_at, end_at: updated.end_at } }, tx);
        return announce('booking-rescheduled', updated, tx, b);
      }, async () => {
        await flow.afterReschedule((await bookings.find(id))!, previousPayment);
        return fresh(id, actor.userId);
      });
    },

    /** Marks a lesson completed or no-show: the instructor (or an admin), once the lesson has started. */
    async finish(actor: Actor, id: string, to: 'completed' | 'no_show'): Promise<BookingView> {
      return write(async (tx) => {
        const b = await visible(actor, id, tx);
        if (actor.role !== 'admin' && actor.userId !== b.instructor_id) {
          throw new AppError('forbidden', 'Only the instructor of this lesson can mark it completed or no-show.');
        }
        transition(b, to);
        if (new Date(b.start_at) > clock.now()) {
          throw new AppError('invalid_transition', `The lesson has not started yet; it can be marked ${to} from ${b.start_at}.`);
        }
        const updated = await bookings.update(b.id, { status: to }, tx);
        await bookings.addEvent(b.id, to, actor.userId, {}, tx);
        return view(updated, tx, actor.userId);
      }, async () => {
        await flow.afterFinish((await bookings.find(id))!, to);
        return fresh(id, actor.userId);
      });
    },
  };
}

export type BookingService = ReturnType<typeof bookingService>;
