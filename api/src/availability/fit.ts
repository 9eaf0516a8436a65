import { localToInstant } from './public-availability.js';
import type { MinuteRange } from './ranges.js';
import { addDays } from '../platform/time.js';

/** The UTC instants a local range of a date covers (24:00 is the next midnight). */
export function rangeInstants(date: string, range: MinuteRange, timezone: string): { start: number; end: number } {
  const start = localToInstant(date, range.start, timezone).getTime();
  const end = range.end >= 1440 ? localToInstant(addDays(date, 1), 0, timezone).getTime() : localToInstant(date, range.end, timezone).getTime();
  return { start, end };
}

/** True when [startAt, endAt) lies inside one of the date's ranges, compared as real instants (DST-safe). */
export function fitsAvailability(date: string, ranges: MinuteRange[], timezone: string, startAt: Date, endAt: Date): boolean {
  return ranges.some((r) => {
    const span = rangeInstants(date, r, timezone);
    return span.start <= startAt.getTime() && endAt.getTime() <= span.end;
  });
}
