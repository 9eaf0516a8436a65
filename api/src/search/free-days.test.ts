import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computePublicAvailability, localToInstant } from '../availability/public-availability.js';
import { parseTime, toTimeRanges, type MinuteRange } from '../availability/ranges.js';
import { addDays } from '../platform/time.js';
import { bookableUntil, datesTouched } from './free-days.js';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
// Around the 2026 transitions: Berlin 03-29 and 10-25, New York 03-08 and 11-01, Lord Howe (30 minutes) 04-05 and 10-04.
const STARTS = ['2026-03-06', '2026-03-27', '2026-04-03', '2026-07-01', '2026-10-02', '2026-10-23', '2026-10-30'];

/** The reference: the start times public availability offers (notBefore far in the past), the last one minus the notice. */
function reference(dates: string[], input: Parameters<typeof bookableUntil>[1]): Map<string, number> {
  const out = new Map<string, number>();
  const sorted = [...dates].sort();
  const days = computePublicAvailability({
    timezone: input.timezone,
    from: sorted[0] as string,
    to: sorted[sorted.length - 1] as string,
    ranges: new Map([...input.ranges].map(([d, r]) => [d, toTimeRanges(r)])),
    blackouts: input.blackouts,
    bookings: input.held.map((b) => ({ start_at: b.start_at, end_at: new Date(b.busy_until.getTime() - input.bufferMinutes * 60_000) })),
    bufferMinutes: input.bufferMinutes,
    notBefore: new Date(-8.64e15),
    durationMinutes: input.shortestMinutes,
  });
  for (const d of days) {
    const last = d.start_times?.[d.start_times.length - 1];
    if (last !== undefined && (input.ranges.get(d.date)?.length ?? 0) > 0) out.set(d.date, localToInstant(d.date, parseTime(last), input.timezone).getTime() - input.minAdvanceHours * 3_600_000);
  }
  return out;
}

describe('bookableUntil', () => {
  it('agrees with public availability on every date, DST transitions included', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 40 })).map(([s, l]): MinuteRange => ({ start: s * 15, end: Math.min(1440, s * 15 + l * 15) }));
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom(...STARTS),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.array(range, { minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 * 96 }), fc.integer({ min: 1, max: 16 })), { maxLength: 6 }),
        fc.constantFrom(30, 45, 60, 90),
        fc.constantFrom(0, 10, 15),
        fc.integer({ min: 0, max: 48 }),
        fc.boolean(),
        (timezone, start, days, bookings, shortest, buffer, notice, blackout) => {
          const ranges = new Map<string, MinuteRange[]>();
          for (const [offset, list] of days) ranges.set(addDays(start, offset), list);
          const dates = [...ranges.keys()];
          const blackouts = new Set(blackout ? [dates[0] as string] : []);
          const held = bookings.map(([slot, length]) => {
            const at = localToInstant(start, 0, timezone).getTime() + slot * 15 * 60_000;
            return { start_at: new Date(at), busy_until: new Date(at + length * 15 * 60_000 + buffer * 60_000) };
          });
          const input = { timezone, bufferMinutes: buffer, shortestMinutes: shortest, minAdvanceHours: notice, ranges, blackouts, held };
          const expected = reference(dates, input);
          for (const d of blackouts) expected.delete(d);
          expect(bookableUntil(dates, input)).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('names the local dates a held time touches, with the buffer', () => {
    // 23:50-00:40 Berlin with a 15-minute buffer reaches both dates; 10:00-11:00 only its own.
    expect(datesTouched(new Date('2026-07-01T21:50:00Z'), new Date('2026-07-01T22:40:00Z'), 15, 'Europe/Berlin')).toEqual(['2026-07-01', '2026-07-02']);
    expect(datesTouched(new Date('2026-07-01T08:00:00Z'), new Date('2026-07-01T09:00:00Z'), 15, 'Europe/Berlin')).toEqual(['2026-07-01']);
  });
});
