import type { TimeRange } from '@instainstru/sdk';

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** Parses ranges written like `09:00-12:00 14:00-17:00` (spaces or commas between); throws on the first bad one. */
export function parseRanges(text: string): TimeRange[] {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  return parts.map((part) => {
    const match = RANGE.exec(part);
    if (!match) throw new RangeError(`"${part}" is not a time range like 09:00-12:00`);
    const [start_time, end_time] = part.split('-') as [string, string];
    if (end_time <= start_time) throw new RangeError(`"${part}" ends before it starts`);
    return { start_time, end_time };
  });
}

/** Ranges as text, e.g. `09:00-12:00 14:00-17:00`; `-` for none. */
export function formatRanges(ranges: readonly TimeRange[], none = '-'): string {
  return ranges.length === 0 ? none : ranges.map((r) => `${r.start_time}-${r.end_time}`).join(' ');
}

/** Minutes since midnight of `HH:MM`. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
