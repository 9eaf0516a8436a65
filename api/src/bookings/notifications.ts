import { DateTime } from 'luxon';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { MailMessage } from '../platform/mail.js';
import type { BookingRow } from './repository.js';
import { lessonEvent } from './ics.js';

export interface Participant {
  id: string;
  email: string;
  full_name: string;
  timezone: string;
}

type Kind = 'booking-confirmed' | 'booking-cancelled' | 'booking-rescheduled';

/** One formatter per currency (building an Intl.NumberFormat costs more than the mail's template). */
const formats = new Map<string, Intl.NumberFormat>();

function money(amount: number, currency: string): string {
  try {
    let format = formats.get(currency);
    if (!format) formats.set(currency, (format = new Intl.NumberFormat('en', { style: 'currency', currency })));
    return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${amount} ${currency}`;
  }
}

function when(b: Pick<BookingRow, 'start_at' | 'end_at'>, timezone: string) {
  const start = DateTime.fromISO(b.start_at, { zone: timezone });
  const end = DateTime.fromISO(b.end_at, { zone: timezone });
  return { date_label: start.toFormat('cccc, d LLLL yyyy'), time_label: `${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')}` };
}

function calendar(kind: Kind, b: BookingRow, skill: string, other: Participant, sequence: number): string {
  const cal = ical({ name: 'InstaInstru', method: kind === 'booking-cancelled' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST });
  // A cancellation notice says CANCELLED even if the row's status were read before the change.
  cal.createEvent({ ...lessonEvent(b, skill, other.full_name, sequence), ...(kind === 'booking-cancelled' ? { status: ICalEventStatus.CANCELLED } : {}) });
  return cal.toString();
}

/** What a booking mail is composed from at delivery: the booking as the change left it and both people. */
export interface BookingMailFacts {
  kind: Kind;
  role: 'student' | 'instructor';
  booking: BookingRow;
  skill: string;
  me: Participant;
  other: Participant;
  /** The booking's change number (0 when created), the invite's SEQUENCE. */
  sequence: number;
  previous?: Pick<BookingRow, 'start_at' | 'end_at'>;
}

/** The outbox composer of booking mails (`outbox.composer(BOOKING_MAIL, composeBookingMail)`). */
export const BOOKING_MAIL = 'booking';

/**
 * The facts of the mail each participant gets about a booking change: cheap to write in the
 * change's transaction; the mail itself is composed at delivery (`composeBookingMail`).
 */
export function bookingMailFacts(
  kind: Kind,
  booking: BookingRow,
  skill: string,
  student: Participant,
  instructor: Participant,
  sequence: number,
  previous?: Pick<BookingRow, 'start_at' | 'end_at'>,
): { to: string; composer: typeof BOOKING_MAIL; data: BookingMailFacts }[] {
  const pick = (p: Participant): Participant => ({ id: p.id, email: p.email, full_name: p.full_name, timezone: p.timezone });
  const prev = previous ? { start_at: previous.start_at, end_at: previous.end_at } : undefined;
  return (
    [
      [student, instructor, 'student'],
      [instructor, student, 'instructor'],
    ] as const
  ).map(([me, other, role]) => ({ to: me.email, composer: BOOKING_MAIL, data: { kind, role, booking, skill, me: pick(me), other: pick(other), sequence, ...(prev ? { previous: prev } : {}) } }));
}

/** The mail one participant gets about a booking change, in their own local time, with an ICS file. */
export function composeBookingMail({ kind, role, booking: b, skill, me, other, sequence, previous }: BookingMailFacts): MailMessage {
  const prev = previous ? when(previous, me.timezone) : undefined;
  return {
    to: me.email,
    template: kind,
    data: {
      recipient_name: me.full_name,
      other_party_name: other.full_name,
      role,
      skill,
      ...when(b, me.timezone),
      timezone: me.timezone,
      duration_minutes: b.duration_minutes,
      location_type: b.location_type.replace('_', ' '),
      price_label: money(b.price_amount, b.currency),
      booking_id: b.id,
      reason: b.cancellation_reason ?? undefined,
      previous_label: prev ? `${prev.date_label}, ${prev.time_label}` : undefined,
    },
    attachments: [{ filename: 'lesson.ics', content: calendar(kind, b, skill, other, sequence), contentType: 'text/calendar; charset=utf-8' }],
  };
}
