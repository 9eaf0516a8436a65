import type { BookingOutside } from '@instainstru/sdk';
import { bookingLines } from './week-grid.js';

/** The warning printed after an availability change that leaves bookings outside the new ranges. */
export function outsideWarning(bookings: readonly BookingOutside[]): string | undefined {
  if (bookings.length === 0) return undefined;
  const lines = bookingLines(bookings).map((l) => `  ${l}`);
  return [`Warning: ${bookings.length} booking(s) now fall outside your availability (they stay booked):`, ...lines].join('\n');
}
