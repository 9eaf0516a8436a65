import { IANAZone } from 'luxon';
import { computePublicAvailability, GRID_MINUTES, localToInstant } from '../availability/public-availability.js';
import { mergeIntervals, mergeRanges, parseTime, subtractIntervals, toTimeRanges, type Interval, type MinuteRange } from '../availability/ranges.js';

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
  const wanted = [...new Set(dates)].filter((d) => (input.ranges.get(d)?.length ?? 0) > 0 && !input.blackouts.has(d)).sort();
  if (wanted.length === 0 || !(input.shortestMinutes > 0)) return result;
  const notice = input.minAdvanceHours * 3_600_000;
  // The same held time public availability subtracts (see publicInstructorService.freeTime), widened by the buffer.
  const busy = mergeIntervals(input.held.map((b) => ({ start: b.start_at.getTime() - input.bufferMinutes * 60_000, end: b.busy_until.getTime() })));
  const slow: string[] = [];
  for (const date of wanted) {
    const offset = fixedOffset(input.timezone, date);
    if (offset === null) {
      slow.push(date);
      continue;
    }
    const last = lastStart(date, offset, input.ranges.get(date) ?? [], busy, input.shortestMinutes);
    if (last !== null) result.set(date, last - notice);
  }
  // Days with a DST transition: the general computation (the one public availability runs).
  if (slow.length > 0) {
    const days = computePublicAvailability({
      timezone: input.timezone,
      from: slow[0] as string,
      to: slow[slow.length - 1] as string,
      ranges: new Map(slow.map((d) => [d, toTimeRanges(input.ranges.get(d) ?? [])])),
      blackouts: input.blackouts,
      bookings: input.held.map((b) => ({ start_at: b.start_at, end_at: new Date(b.busy_until.getTime() - input.bufferMinutes * 60_000) })),
      bufferMinutes: input.bufferMinutes,
      notBefore: EARLIEST,
      durationMinutes: input.shortestMinutes,
    });
    const set = new Set(slow);
    for (const day of days) {
      const last = day.start_times?.[day.start_times.length - 1];
      if (set.has(day.date) && last !== undefined) result.set(day.date, localToInstant(day.date, parseTime(last), input.timezone).getTime() - notice);
    }
  }
  return result;
}

const GRID = GRID_MINUTES * 60_000;
const HOUR = 3_600_000;
/** Zone offsets per (zone, date): thousands of instructors share a few zones and the same dates. */
const offsets = new Map<string, number | null>();

/**
 * The UTC offset (ms) that holds through the whole local date, or null on a day with a transition.
 * Every instant of a local date lies within [date 00:00 UTC - 14 h, date 24:00 UTC + 12 h]; the
 * offset is constant over that window when both ends agree (transitions are months apart).
 */
function fixedOffset(timezone: string, date: string): number | null {
  const key = `${timezone}|${date}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const zone = IANAZone.create(timezone);
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const before = zone.offset(midnight - 14 * HOUR);
  const after = zone.offset(midnight + 36 * HOUR);
  const value = zone.isValid && before === after ? before * 60_000 : null;
  if (offsets.size > 100_000) offsets.clear();
  offsets.set(key, value);
  return value;
}

/** The last instant on the 15-minute wall-clock grid at which a lesson fits the date's free time (fixed-offset day). */
function lastStart(date: string, offset: number, ranges: MinuteRange[], busy: Interval[], minutes: number): number | null {
  const base = Date.parse(`${date}T00:00:00Z`) - offset;
  const open = mergeRanges(ranges).map((r) => ({ start: base + r.start * 60_000, end: base + r.end * 60_000 }));
  const free = subtractIntervals(open, busy.filter((b) => b.end > base && b.start < base + 1440 * 60_000));
  const length = minutes * 60_000;
  let best: number | null = null;
  for (const f of free) {
    // The latest grid start s with s + length <= f.end, never past 23:45 of the date.
    const s = base + Math.min(Math.floor((f.end - length - base) / GRID), 1440 / GRID_MINUTES - 1) * GRID;
    if (s >= f.start && s >= base && (best === null || s > best)) best = s;
  }
  return best;
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
