import { useEffect, useMemo } from 'preact/hooks';
import type { Booking } from './api.js';
import { icsOf } from './ics.js';

export interface DoneProps {
  booking: Booking;
  /** "Yoga with Ana Lima". */
  title: string;
  /** When, in the visitor's words and zone. */
  when: string;
  email: string | undefined;
  onAgain(): void;
}

/** The confirmation: what was booked, a calendar file, and another lesson. Loaded only once a booking is made. */
export function Done({ booking, title, when, email, onAgain }: DoneProps) {
  const ics = useMemo(() => URL.createObjectURL(new Blob([icsOf(booking, title)], { type: 'text/calendar' })), [booking]);
  useEffect(() => () => URL.revokeObjectURL(ics), [ics]);
  return (
    <div>
      <p>
        {title}, {when}. A confirmation is on its way to {email}.
      </p>
      <a class="button" href={ics} download="lesson.ics">Add to calendar (.ics)</a>
      <button type="button" class="primary" onClick={onAgain}>Book another lesson</button>
    </div>
  );
}
