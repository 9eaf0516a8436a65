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

function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount / 10 ** (new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2));
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

/**
 * The mail each participant gets about a booking change, in their own local time, with an ICS file.
 * `sequence` is the booking's change number (0 when created), the invite's SEQUENCE.
 */
export function bookingMails(
  kind: Kind,
  b: BookingRow,
  skill: string,
  student: Participant,
  instructor: Participant,
  sequence: number,
  previous?: Pick<BookingRow, 'start_at' | 'end_at'>,
): MailMessage[] {
  return (
    [
      [student, instructor, 'student'],
      [instructor, student, 'instructor'],
    ] as const
  ).map(([me, other, role]) => {
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
  });
}
