import { computePublicAvailability, localToInstant } from '../availability/public-availability.js';
import { parseTime, toTimeRanges, type MinuteRange } from '../availability/ranges.js';

/** Everything one instructor's bookable days depend on, apart from "now". */
export interface FreeDayInputs {
  timezone: string;
  bufferMinutes: number;
  /** The shortest lesson any active service offers: a day is bookable when that one fits. */
  shortestMinutes: number;
  minAdvanceHours: number;
  ranges: Map<string, MinuteRange[]>;
  blackouts: Set<string>;
  /** Time the instructor holds (teaching, with the buffer stored at booking time, or learning). */
  held: { start_at: Date; busy_until: Date }[];
}

const EARLIEST = new Date(-8.64e15);
/** `bookable_until` of "never stale": an instructor without a bookable day keeps that until a write changes it. */
export const NEVER = 8.64e15;
/** `next_free_date` of an instructor without a bookable day: sorts after every real date on both databases. */
export const NO_DATE = '9999-12-31';

/**
 * For each date, the last instant at which "now" (rounded up to the public 15-minute grid) still
 * leaves a bookable start that date: the last start time of the shortest lesson minus the minimum
 * notice. Public availability offers a start s exactly when s fits ignoring "now" and s >= now +
 * notice, so `available_on` is `bookable_until >= now` and no stored value goes stale as time passes.
 * Dates where no lesson fits at all are left out.
 */
export function bookableUntil(dates: string[], input: FreeDayInputs): Map<string, number> {
  const result = new Map<string, number>();
  const sorted = [...new Set(dates)].filter((d) => (input.ranges.get(d)?.length ?? 0) > 0 && !input.blackouts.has(d)).sort();
  const from = sorted[0];
  const to = sorted[sorted.length - 1];
  if (!from || !to || !(input.shortestMinutes > 0)) return result;
  const buffer = input.bufferMinutes * 60_000;
  const days = computePublicAvailability({
    timezone: input.timezone,
    from,
    to,
    ranges: new Map(sorted.map((d) => [d, toTimeRanges(input.ranges.get(d) ?? [])])),
    blackouts: input.blackouts,
    // The same held time public availability subtracts (see publicInstructorService.freeTime).
    bookings: input.held.map((b) => ({ start_at: b.start_at, end_at: new Date(b.busy_until.getTime() - buffer) })),
    bufferMinutes: input.bufferMinutes,
    notBefore: EARLIEST,
    durationMinutes: input.shortestMinutes,
  });
  const wanted = new Set(sorted);
  for (const day of days) {
    const last = day.start_times?.[day.start_times.length - 1];
    if (!wanted.has(day.date) || last === undefined) continue;
    result.set(day.date, localToInstant(day.date, parseTime(last), input.timezone).getTime() - input.minAdvanceHours * 3_600_000);
  }
  return result;
}

/** The local dates whose free time a held interval [start, until) can touch once widened by the buffer. */
export function datesTouched(start: Date, until: Date, bufferMinutes: number, timezone: string): string[] {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const buffer = bufferMinutes * 60_000;
  const first = fmt.format(new Date(start.getTime() - buffer));
  const last = fmt.format(new Date(until.getTime() + buffer));
  const dates: string[] = [];
  for (let d = first; d <= last; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) dates.push(d);
  return dates;
}
