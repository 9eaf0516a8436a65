import { IANAZone } from 'luxon';
import {
  type Interval,
  type MinuteRange,
  type TimeRange,
  formatTime,
  mergeIntervals,
  mergeRanges,
  parseTime,
  subtractIntervals,
  toMinuteRanges,
  toTimeRanges,
} from './ranges.js';

/** An active booking of the instructor, as UTC instants. */
export interface BookedInterval {
  start_at: Date;
  end_at: Date;
}

/** Everything the public availability of one instructor over a period depends on. */
export interface PublicAvailabilityInput {
  timezone: string;
  from: string;
  to: string;
  ranges: Map<string, TimeRange[]>;
  blackouts: Set<string>;
  bookings: BookedInterval[];
  bufferMinutes: number;
  notBefore: Date;
  durationMinutes?: number;
}

/** The free time of one date, in the instructor's wall-clock time. */
export interface PublicAvailabilityDay {
  date: string;
  ranges: TimeRange[];
  start_times?: string[];
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** Public start times, and so bookings, lie on this grid of wall-clock minutes. */
export const GRID_MINUTES = 15;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One local date in a zone; `midnight` is its 00:00 wall-clock reading written as if it were UTC. */
interface LocalDay {
  zone: IANAZone;
  midnight: number;
  /** The UTC offset in ms when it holds all day; null on days with a DST transition. */
  fixedOffset: number | null;
}

/** Parses a YYYY-MM-DD date into the epoch ms of its UTC midnight; throws RangeError on bad input. */
function dateToMs(date: string): number {
  const match = ISO_DATE.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  // The round trip rejects 2026-02-30 (which Date.UTC silently rolls over) and two-digit-year quirks.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`Invalid date "${date}", expected YYYY-MM-DD`);
  }
  return ms;
}

/** Loads an IANA zone; throws RangeError on an unknown one. */
function zoneOf(timezone: string): IANAZone {
  const zone = IANAZone.create(timezone);
  if (!zone.isValid) throw new RangeError(`Unknown time zone "${timezone}"`);
  return zone;
}

/** The zone's UTC offset at an instant, in ms. */
function offsetAt(zone: IANAZone, instant: number): number {
  return zone.offset(instant) * MINUTE;
}

/** Finds the instant of a wall-clock reading: a repeated time takes its earlier occurrence, a skipped one moves forward by the gap. */
function resolveWallClock(zone: IANAZone, wall: number): number {
  // Not DateTime.fromObject: luxon picks the occurrence of a repeated time from the offset in force *now*,
  // so the same booking would land an hour apart depending on the season the code runs in.
  const before = offsetAt(zone, wall - DAY);
  const early = wall - before;
  if (offsetAt(zone, early) === before) return early;
  const after = offsetAt(zone, wall + DAY);
  const late = wall - after;
  if (offsetAt(zone, late) === after) return late;
  // Neither offset reproduces the reading: it is in a gap, and the old offset pushes it forward like luxon does.
  return early;
}

/** Sets up a local date, noting whether its UTC offset is constant so conversions can skip zone lookups. */
function localDay(zone: IANAZone, date: string): LocalDay {
  const midnight = dateToMs(date);
  const start = resolveWallClock(zone, midnight);
  const end = resolveWallClock(zone, midnight + DAY);
  const offset = midnight - start;
  const fixed = end - start === DAY && offsetAt(zone, start) === offset && offsetAt(zone, end - 1) === offset;
  return { zone, midnight, fixedOffset: fixed ? offset : null };
}

/** The instant of a wall-clock minute of the day. */
function instantOf(day: LocalDay, minutes: number): number {
  const wall = day.midnight + minutes * MINUTE;
  return day.fixedOffset === null ? resolveWallClock(day.zone, wall) : wall - day.fixedOffset;
}

/** Splits a free interval where the UTC offset changes, tagging each part with its offset. */
function splitByOffset(day: LocalDay, free: Interval): (Interval & { offset: number })[] {
  if (day.fixedOffset !== null) return [{ ...free, offset: day.fixedOffset }];
  const parts: (Interval & { offset: number })[] = [];
  for (let start = free.start; start < free.end; ) {
    const offset = offsetAt(day.zone, start);
    let end = free.end;
    if (offsetAt(day.zone, end - 1) !== offset) {
      // Binary search for the first ms with the new offset: only runs on transition days.
      let lo = start;
      end -= 1;
      while (end - lo > 1) {
        const mid = Math.floor((lo + end) / 2);
        if (offsetAt(day.zone, mid) === offset) lo = mid;
        else end = mid;
      }
    }
    parts.push({ start, end, offset });
    start = end;
  }
  return parts;
}

/** Maps free instants back to wall-clock minute ranges of the day, merged. */
function toLocalRanges(day: LocalDay, free: Interval[]): MinuteRange[] {
  const local: MinuteRange[] = [];
  const wallMinute = (instant: number, offset: number) => (instant + offset - day.midnight) / MINUTE;
  for (const interval of free) {
    let current: MinuteRange | undefined;
    for (const part of splitByOffset(day, interval)) {
      // Round inward: a minute is free only if all of it is (bookings and notBefore may carry seconds).
      const wall = { start: Math.ceil(wallMinute(part.start, part.offset)), end: Math.floor(wallMinute(part.end, part.offset)) };
      // Clocks jumping forward inside a free interval: report it whole, like the instructor entered it.
      if (current && wall.start >= current.end) current.end = wall.end;
      else {
        if (current) local.push(current);
        current = wall;
      }
    }
    if (current) local.push(current);
  }
  return mergeRanges(local.map((r) => ({ start: Math.max(0, r.start), end: Math.min(1440, r.end) })));
}

/** Merged busy intervals overlapping [from, to); `busy` must be merged, so its ends are sorted too. */
function busyBetween(busy: Interval[], from: number, to: number): Interval[] {
  let lo = 0;
  let hi = busy.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((busy[mid]?.end ?? Infinity) <= from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < busy.length && (busy[end]?.start ?? Infinity) < to) end++;
  return busy.slice(lo, end);
}

/** The free instants of one date's availability ranges. */
function freeInstants(day: LocalDay, ranges: TimeRange[], busy: Interval[], tooSoon: Interval): Interval[] {
  // Wall clock to instant never runs backwards, so merged local ranges stay sorted as instants.
  const open = mergeRanges(toMinuteRanges(ranges)).map((r) => ({ start: instantOf(day, r.start), end: instantOf(day, r.end) }));
  const first = open[0];
  const last = open[open.length - 1];
  if (!first || !last) return [];
  return subtractIntervals(open, [tooSoon, ...busyBetween(busy, first.start, last.end)]);
}

/** The 15-minute-grid wall-clock times at which a lesson fits inside one free interval. */
function startTimes(day: LocalDay, free: Interval[], durationMinutes: number): string[] {
  const times: string[] = [];
  if (free.length === 0) return times;
  for (let minutes = 0; minutes < 1440; minutes += GRID_MINUTES) {
    const start = instantOf(day, minutes);
    // A time skipped by a DST gap resolves to a later wall-clock time, which has its own grid slot.
    if (day.fixedOffset === null && start + offsetAt(day.zone, start) !== day.midnight + minutes * MINUTE) continue;
    const end = start + durationMinutes * MINUTE;
    if (free.some((f) => f.start <= start && end <= f.end)) times.push(formatTime(minutes));
  }
  return times;
}

/** Reads a Date as epoch ms; throws RangeError on an invalid Date rather than silently freeing time. */
function instantMs(date: Date, what: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`Invalid ${what}`);
  return ms;
}

/** Free time per date: ranges minus blackouts, minus bookings widened by the buffer, minus everything before notBefore. */
export function computePublicAvailability(input: PublicAvailabilityInput): PublicAvailabilityDay[] {
  const zone = zoneOf(input.timezone);
  const { bufferMinutes, durationMinutes } = input;
  if (!(bufferMinutes >= 0 && Number.isFinite(bufferMinutes))) throw new RangeError(`Invalid buffer ${bufferMinutes}`);
  if (durationMinutes !== undefined && !(durationMinutes > 0 && Number.isFinite(durationMinutes))) {
    throw new RangeError(`Invalid duration ${durationMinutes}`);
  }
  const buffer = bufferMinutes * MINUTE;
  // Sorted and merged once, so each day finds its bookings by binary search.
  const busy = mergeIntervals(
    input.bookings.map((b) => ({ start: instantMs(b.start_at, 'booking start') - buffer, end: instantMs(b.end_at, 'booking end') + buffer })),
  );
  const tooSoon = { start: -Infinity, end: instantMs(input.notBefore, 'notBefore') };
  return eachDate(input.from, input.to).map((date) => {
    const day = localDay(zone, date);
    const free = input.blackouts.has(date) ? [] : freeInstants(day, input.ranges.get(date) ?? [], busy, tooSoon);
    const result: PublicAvailabilityDay = { date, ranges: toTimeRanges(toLocalRanges(day, free)) };
    if (durationMinutes !== undefined) result.start_times = startTimes(day, free, durationMinutes);
    return result;
  });
}

/** Converts a local date + wall-clock minute to a UTC instant in the zone (nonexistent DST-gap times move forward like luxon does). */
export function localToInstant(date: string, minutes: number, timezone: string): Date {
  if (!Number.isFinite(minutes)) throw new RangeError(`Invalid minute of day ${minutes}`);
  return new Date(resolveWallClock(zoneOf(timezone), dateToMs(date) + minutes * MINUTE));
}

/** True when the wall-clock minute exists on that date in the zone; false inside a DST gap (clocks jumping forward). */
export function wallClockExists(date: string, minutes: number, timezone: string): boolean {
  const zone = zoneOf(timezone);
  const wall = dateToMs(date) + minutes * MINUTE;
  const instant = resolveWallClock(zone, wall);
  return instant + offsetAt(zone, instant) === wall;
}

/** Lists each date from..to inclusive. */
export function eachDate(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let ms = dateToMs(from), last = dateToMs(to); ms <= last; ms += DAY) {
    dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}

/** The UTC instants a lesson occupies: start/end for a local date + "HH:MM" + duration in real elapsed minutes. */
export function lessonInstants(
  date: string,
  startTime: string,
  durationMinutes: number,
  timezone: string,
): { start_at: Date; end_at: Date } {
  const minutes = parseTime(startTime);
  // "24:00" is only valid as an end: a lesson starting then belongs to the next date.
  if (minutes >= 1440) throw new RangeError(`A lesson cannot start at ${startTime}`);
  if (!(durationMinutes > 0 && Number.isFinite(durationMinutes))) throw new RangeError(`Invalid duration ${durationMinutes}`);
  const start_at = localToInstant(date, minutes, timezone);
  return { start_at, end_at: new Date(start_at.getTime() + durationMinutes * MINUTE) };
}
