/** A half-open span [start, end) on any number line: minutes of a local day or epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

/** A local time range in minutes since local midnight, half-open [start, end). end may be 1440 (24:00). */
export interface MinuteRange {
  start: number;
  end: number;
}

/** A wire-format range: "HH:MM" wall-clock times, end_time may be "24:00". */
export interface TimeRange {
  start_time: string;
  end_time: string;
}

const MINUTES_PER_DAY = 1440;
const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses "HH:MM" (or "24:00", the end of the day) into minutes since midnight. */
export function parseTime(hhmm: string): number {
  if (hhmm === '24:00') return MINUTES_PER_DAY;
  const match = CLOCK_TIME.exec(hhmm);
  if (!match) throw new RangeError(`Invalid time "${hhmm}", expected HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Formats minutes since midnight (0..1440) as "HH:MM". */
export function formatTime(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MINUTES_PER_DAY) {
    throw new RangeError(`Invalid minute of day ${minutes}, expected an integer in 0..1440`);
  }
  const hours = Math.floor(minutes / 60);
  return `${String(hours).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Converts wire-format ranges into minute ranges (unmerged, in input order). */
export function toMinuteRanges(ranges: TimeRange[]): MinuteRange[] {
  return ranges.map((r) => ({ start: parseTime(r.start_time), end: parseTime(r.end_time) }));
}

/** Converts minute ranges into wire-format ranges (in input order). */
export function toTimeRanges(ranges: MinuteRange[]): TimeRange[] {
  return ranges.map((r) => ({ start_time: formatTime(r.start), end_time: formatTime(r.end) }));
}

/** Sorts intervals and joins overlapping or touching ones; empty intervals are dropped. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  // `end > start` also filters NaN, so a corrupt interval can never swallow its neighbours.
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    // Copies only: callers' objects must never be mutated.
    if (last && next.start <= last.end) last.end = Math.max(last.end, next.end);
    else merged.push({ start: next.start, end: next.end });
  }
  return merged;
}

/** The parts of `from` not covered by `remove`, merged and sorted. */
export function subtractIntervals(from: readonly Interval[], remove: readonly Interval[]): Interval[] {
  const kept = mergeIntervals(from);
  const cuts = mergeIntervals(remove);
  const result: Interval[] = [];
  let firstCut = 0;
  for (const piece of kept) {
    let cursor = piece.start;
    // Cuts are sorted by both start and end (merged), so ones ending before this piece never matter again.
    while (firstCut < cuts.length && (cuts[firstCut]?.end ?? Infinity) <= cursor) firstCut++;
    for (let i = firstCut; i < cuts.length; i++) {
      const cut = cuts[i];
      if (!cut || cut.start >= piece.end) break;
      if (cut.start > cursor) result.push({ start: cursor, end: cut.start });
      cursor = Math.max(cursor, cut.end);
    }
    if (cursor < piece.end) result.push({ start: cursor, end: piece.end });
  }
  // Pieces are separated by non-empty cuts or by gaps between merged inputs, so the result is already merged.
  return result;
}

/** Sorts minute ranges and joins overlapping or touching ones; empty ranges are dropped. */
export function mergeRanges(ranges: MinuteRange[]): MinuteRange[] {
  return mergeIntervals(ranges);
}

/** The minutes of `from` not covered by `remove`, merged and sorted. */
export function subtractRanges(from: MinuteRange[], remove: MinuteRange[]): MinuteRange[] {
  return subtractIntervals(from, remove);
}

/** Whether `inner` lies entirely inside one of the (merged) ranges; an empty `inner` is never contained. */
export function rangeContains(ranges: MinuteRange[], inner: MinuteRange): boolean {
  // An empty span is not a bookable lesson, so saying "yes" would only let bad input through.
  if (!(inner.end > inner.start)) return false;
  return mergeRanges(ranges).some((r) => r.start <= inner.start && inner.end <= r.end);
}
