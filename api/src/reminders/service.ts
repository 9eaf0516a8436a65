import type { Transaction } from 'sequelize';
import { DateTime } from 'luxon';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { MailOutbox } from '../platform/outbox.js';
import type { JobScheduler } from '../jobs/service.js';
import type { AccountRepository } from '../accounts/repository.js';
import type { BookingRepository, BookingRow } from '../bookings/repository.js';
import type { BookingView } from '../bookings/view.js';
import { DEFAULT_PREFERENCES, type Preferences, type ReminderRepository } from './repository.js';

/** The job that sends one reminder to one person. */
const REMIND_JOB = 'lesson.remind';
/** How many upcoming lessons get new reminders when a person changes their offsets. */
const RESCHEDULE_LIMIT = 500;

interface RemindPayload {
  booking_id: string;
  user_id: string;
  minutes_before: number;
  /** The lesson start the reminder was planned for: a moved lesson's old reminders do nothing. */
  start_at: string;
}

interface Deps {
  db: Db;
  clock: Clock;
  jobs: JobScheduler;
  reminders: ReminderRepository;
  accounts: AccountRepository;
  bookings: BookingRepository;
  outbox: MailOutbox;
  /** The booking as its participants see it; without a transaction, a read that locks nothing. */
  bookingView(bookingId: string, tx?: Transaction): Promise<BookingView | null>;
  /** Announces the reminder to the person's webhook endpoints (`lesson.reminder`), in the transaction. */
  publish(tx: Transaction, type: 'lesson.reminder', ownerIds: string[], data: unknown): Promise<void>;
}

const keyOf = (bookingId: string, userId: string, minutes: number) => `reminder:${bookingId}:${userId}:${minutes}`;
const active = (b: Pick<BookingRow, 'status'>) => b.status === 'pending' || b.status === 'confirmed';

/** "in 24 hours", "in 1 hour", "in 30 minutes" (and German). */
function leadTime(minutes: number, language: Preferences['language']): string {
  const hours = minutes % 60 === 0 ? minutes / 60 : null;
  if (language === 'de') return hours !== null ? `in ${hours} ${hours === 1 ? 'Stunde' : 'Stunden'}` : `in ${minutes} Minuten`;
  return hours !== null ? `in ${hours} ${hours === 1 ? 'hour' : 'hours'}` : `in ${minutes} minutes`;
}

/**
 * Reminder mails (and `lesson.reminder` webhook events) before each active lesson, to both
 * participants, at each one's own offsets: jobs keyed by lesson, person and offset, moved when the
 * lesson moves, dropped when it is cancelled; sent once (a unique row), never once the lesson began.
 */
export function reminderService({ db, clock, jobs, reminders, accounts, bookings, outbox, bookingView, publish }: Deps) {
  /** (Re)plans the reminders of these participants for the booking's current time. */
  async function plan(tx: Transaction, b: BookingRow, userIds: string[]): Promise<void> {
    const now = clock.now().getTime();
    const start = new Date(b.start_at).getTime();
    const prefs = await reminders.preferencesOfMany(userIds, tx);
    const due: { key: string; payload: RemindPayload; runAt: Date }[] = [];
    const dropped: string[] = [];
    for (const userId of userIds) {
      for (const minutes of prefs.get(userId)!.reminder_minutes_before) {
        const at = start - minutes * 60_000;
        const key = keyOf(b.id, userId, minutes);
        // Too late for this one (booked or moved closer than its offset): no reminder, and none left from before.
        if (!active(b) || at <= now) dropped.push(key);
        else due.push({ key, payload: { booking_id: b.id, user_id: userId, minutes_before: minutes, start_at: b.start_at }, runAt: new Date(at) });
      }
    }
    await jobs.cancel(dropped, tx);
    await jobs.enqueueKeyed(REMIND_JOB, due, tx, { replace: true });
  }

  async function remind(p: RemindPayload): Promise<void> {
    const b = await bookings.find(p.booking_id);
    const now = clock.now();
    // Cancelled, moved, or already started: this reminder has nothing left to say.
    if (!b || !active(b) || b.start_at !== new Date(p.start_at).toISOString() || now >= new Date(b.start_at)) return;
    const prefs = await reminders.preferencesOf(p.user_id);
    if (!prefs.reminder_minutes_before.includes(p.minutes_before)) return;
    // Read before the transaction: locking the booking in it would deadlock with the other
    // participant's reminder, whose reminder row (a foreign key to the booking) share-locks it.
    const view = await bookingView(b.id);
    const me = await accounts.findUserById(p.user_id);
    if (!view || !me) return;
    await db.transaction(async (tx) => {
      if (!(await reminders.markSent({ booking_id: b.id, user_id: p.user_id, minutes_before: p.minutes_before, start_at: new Date(b.start_at) }, now, tx))) return;
      const role = view.instructor_id === me.id ? 'instructor' : 'student';
      const other = role === 'instructor' ? view.student : view.instructor;
      const start = DateTime.fromISO(view.start_at, { zone: me.timezone }).setLocale(prefs.language);
      const end = DateTime.fromISO(view.end_at, { zone: me.timezone }).setLocale(prefs.language);
      await outbox.enqueue(tx, [
        {
          to: me.email,
          template: prefs.language === 'de' ? 'lesson-reminder-de' : 'lesson-reminder',
          data: {
            recipient_name: me.full_name,
            other_party_name: other.full_name,
            role,
            skill: view.skill,
            lead_time: leadTime(p.minutes_before, prefs.language),
            date_label: start.toFormat(prefs.language === 'de' ? 'cccc, d. LLLL yyyy' : 'cccc, d LLLL yyyy'),
            time_label: `${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')}`,
            timezone: me.timezone,
            location_type: view.location_type.replace('_', ' '),
            booking_id: view.id,
          },
        },
      ]);
      await publish(tx, 'lesson.reminder', [me.id], { minutes_before: p.minutes_before, booking: view });
    });
  }

  jobs.define(REMIND_JOB, (p: RemindPayload) => remind(p), { maxAttempts: 5 });

  return {
    /** Called for each entry of a booking's history (the booking as it is now), in one transaction after the change. */
    async onBookingChange(tx: Transaction, change: string, b: BookingRow): Promise<void> {
      if (!['created', 'confirmed', 'rescheduled', 'cancelled'].includes(change)) return;
      await plan(tx, b, [b.instructor_id, b.student_id]);
    },

    async preferences(userId: string): Promise<Preferences> {
      return reminders.preferencesOf(userId);
    },

    /** Saves the preferences; the person's upcoming lessons get reminders at the new offsets. */
    async setPreferences(userId: string, input: Partial<Preferences>): Promise<Preferences> {
      const current = await reminders.preferencesOf(userId);
      const next: Preferences = {
        reminder_minutes_before: input.reminder_minutes_before ? [...new Set(input.reminder_minutes_before)].sort((a, b) => b - a) : current.reminder_minutes_before,
        language: input.language ?? current.language ?? DEFAULT_PREFERENCES.language,
      };
      await db.transaction((tx) => reminders.savePreferences(userId, next, tx));
      for (const id of await reminders.upcomingBookingIds(userId, clock.now(), RESCHEDULE_LIMIT)) {
        await db.transaction(async (tx) => {
          const b = await bookings.find(id, tx);
          if (b) await plan(tx, b, [userId]);
        });
      }
      return next;
    },
  };
}

export type ReminderService = ReturnType<typeof reminderService>;
