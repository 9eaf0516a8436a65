import { ICalEventStatus, type ICalEventData } from 'ical-generator';
import type { BookingRow } from './repository.js';

/** The UID of a booking's calendar event: the same in every mail's ICS file and in the calendar feed. */
export function lessonUid(bookingId: string): string {
  return `${bookingId}@instainstru`;
}

/** The event status a calendar shows: cancelled lessons stay in the feed, marked CANCELLED. */
function eventStatus(status: BookingRow['status']): ICalEventStatus {
  if (status === 'cancelled') return ICalEventStatus.CANCELLED;
  if (status === 'pending') return ICalEventStatus.TENTATIVE;
  return ICalEventStatus.CONFIRMED;
}

/**
 * One lesson as an iCalendar event, shared by the mails' ICS files and the calendar feed so a
 * calendar that got both sees one event. `sequence` is the booking's change number (0 when created):
 * it grows with each change so calendars replace the earlier version. `stamp` defaults to now.
 */
export function lessonEvent(
  b: Pick<BookingRow, 'id' | 'status' | 'start_at' | 'end_at' | 'location_type'>,
  skill: string,
  otherName: string,
  sequence: number,
  stamp?: Date,
): ICalEventData {
  return {
    id: lessonUid(b.id),
    start: new Date(b.start_at),
    end: new Date(b.end_at),
    summary: `${skill} lesson with ${otherName}`,
    description: `Booking ${b.id} (${b.location_type.replace('_', ' ')})`,
    status: eventStatus(b.status),
    sequence,
    ...(stamp ? { stamp } : {}),
  };
}
