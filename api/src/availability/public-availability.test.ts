import fc from 'fast-check';
import { DateTime, Settings } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  type BookedInterval,
  type PublicAvailabilityInput,
  computePublicAvailability,
  eachDate,
  lessonInstants,
  localToInstant,
} from './public-availability.js';
import { formatTime, mergeIntervals, mergeRanges, parseTime, rangeContains, toMinuteRanges } from './ranges.js';

const MINUTE = 60_000;
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** One day's input with nothing booked, no notice and no buffer; tests override what they exercise. */
function input(overrides: Partial<PublicAvailabilityInput> & { day?: Record<string, [string, string][]> }): PublicAvailabilityInput {
  const { day = {}, ...rest } = overrides;
  const ranges = new Map(Object.entries(day).map(([date, rs]) => [date, rs.map(([start_time, end_time]) => ({ start_time, end_time }))]));
  return { timezone: 'UTC', from: '2026-06-15', to: '2026-06-15', ranges, blackouts: new Set(), bookings: [], bufferMinutes: 0, notBefore: new Date(0), ...rest };
}

const booking = (start: string, end: string): BookedInterval => ({ start_at: new Date(start), end_at: new Date(end) });
const range = (start_time: string, end_time: string) => ({ start_time, end_time });
const iso = (d: Date) => d.toISOString();

describe('computePublicAvailability', () => {
  it('reports a plain day as entered, merged', () => {
    const days = computePublicAvailability(input({ day: { '2026-06-15': [['13:00', '17:00'], ['09:00', '12:00'], ['12:00', '12:30']] } }));
    expect(days).toEqual([{ date: '2026-06-15', ranges: [range('09:00', '12:30'), range('13:00', '17:00')] }]);
  });

  it('gives a blacked-out date no free time', () => {
    const days = computePublicAvailability(
      input({ to: '2026-06-16', day: { '2026-06-15': [['09:00', '17:00']], '2026-06-16': [['09:00', '17:00']] }, blackouts: new Set(['2026-06-15']) }),
    );
    expect(days).toEqual([
      { date: '2026-06-15', ranges: [] },
      { date: '2026-06-16', ranges: [range('09:00', '17:00')] },
    ]);
  });

  it('cuts a booking widened by the buffer out of the middle of a range', () => {
    const days = computePublicAvailability(
      input({ day: { '2026-06-15': [['09:00', '17:00']] }, bookings: [booking('2026-06-15T12:00:00Z', '2026-06-15T13:00:00Z')], bufferMinutes: 15 }),
    );
    expect(days[0]?.ranges).toEqual([range('09:00', '11:45'), range('13:15', '17:00')]);
  });

  it('cuts the morning before notBefore, rounding a partial minute away', () => {
    const day = { '2026-06-15': [['09:00', '12:00']] as [string, string][] };
    const exact = computePublicAvailability(input({ day, notBefore: new Date('2026-06-15T10:30:00Z'), durationMinutes: 60 }));
    expect(exact[0]).toEqual({ date: '2026-06-15', ranges: [range('10:30', '12:00')], start_times: ['10:30', '10:45', '11:00'] });
    const ragged = computePublicAvailability(input({ day, notBefore: new Date('2026-06-15T10:20:30Z'), durationMinutes: 60 }));
    expect(ragged[0]).toEqual({ date: '2026-06-15', ranges: [range('10:21', '12:00')], start_times: ['10:30', '10:45', '11:00'] });
  });

  it('lists start times on the 15-minute grid where a 60-minute lesson fits', () => {
    const days = computePublicAvailability(input({ day: { '2026-06-15': [['09:10', '11:00'], ['14:00', '15:00'], ['16:00', '16:59']] }, durationMinutes: 60 }));
    expect(days[0]?.start_times).toEqual(['09:15', '09:30', '09:45', '10:00', '14:00']);
  });

  it('reports days without ranges as empty, with start_times only when a duration is asked for', () => {
    const period = { from: '2026-06-14', to: '2026-06-16', day: { '2026-06-15': [['09:00', '10:00']] as [string, string][] } };
    expect(computePublicAvailability(input(period))).toEqual([
      { date: '2026-06-14', ranges: [] },
      { date: '2026-06-15', ranges: [range('09:00', '10:00')] },
      { date: '2026-06-16', ranges: [] },
    ]);
    expect(computePublicAvailability(input({ ...period, durationMinutes: 30 }))).toEqual([
      { date: '2026-06-14', ranges: [], start_times: [] },
      { date: '2026-06-15', ranges: [range('09:00', '10:00')], start_times: ['09:00', '09:15', '09:30'] },
      { date: '2026-06-16', ranges: [], start_times: [] },
    ]);
  });

  it('blocks the right local time in each zone for a booking stored in UTC', () => {
    const common = { day: { '2026-06-15': [['08:00', '20:00']] as [string, string][] }, bookings: [booking('2026-06-15T14:00:00Z', '2026-06-15T15:00:00Z')] };
    expect(computePublicAvailability(input({ ...common, timezone: BERLIN }))[0]?.ranges).toEqual([range('08:00', '16:00'), range('17:00', '20:00')]);
    expect(computePublicAvailability(input({ ...common, timezone: NEW_YORK }))[0]?.ranges).toEqual([range('08:00', '10:00'), range('11:00', '20:00')]);
  });

  it('only counts bookings on their own date and keeps a range ending at 24:00', () => {
    const days = computePublicAvailability(
      input({ timezone: BERLIN, to: '2026-06-16', day: { '2026-06-15': [['22:00', '24:00']], '2026-06-16': [['00:00', '02:00']] }, bookings: [booking('2026-06-15T22:00:00Z', '2026-06-15T23:00:00Z')] }),
    );
    expect(days.map((d) => d.ranges)).toEqual([[range('22:00', '24:00')], [range('01:00', '02:00')]]);
  });

  it('rejects bad input instead of guessing', () => {
    expect(() => computePublicAvailability(input({ timezone: 'Mars/Olympus' }))).toThrow(RangeError);
    expect(() => computePublicAvailability(input({ from: '2026-02-30' }))).toThrow(RangeError);
    expect(() => computePublicAvailability(input({ bufferMinutes: -5 }))).toThrow(RangeError);
    expect(() => computePublicAvailability(input({ durationMinutes: 0 }))).toThrow(RangeError);
    expect(() => computePublicAvailability(input({ notBefore: new Date(NaN) }))).toThrow(RangeError);
    expect(() => computePublicAvailability(input({ day: { '2026-06-15': [['9:00', '10:00']] } }))).toThrow(RangeError);
  });
});

describe('DST', () => {
  const dstDay = (timezone: string, date: string, from: string, to: string, extra: Partial<PublicAvailabilityInput> = {}) =>
    computePublicAvailability(input({ timezone, from: date, to: date, day: { [date]: [[from, to]] }, durationMinutes: 60, ...extra }))[0];

  it('Europe/Berlin spring forward: 01:00-04:00 is two real hours', () => {
    expect(dstDay(BERLIN, '2026-03-29', '01:00', '04:00')).toEqual({
      date: '2026-03-29',
      ranges: [range('01:00', '04:00')],
      start_times: ['01:00', '01:15', '01:30', '01:45', '03:00'],
    });
    const lesson = lessonInstants('2026-03-29', '01:30', 60, BERLIN);
    expect([iso(lesson.start_at), iso(lesson.end_at)]).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z']);
  });

  it('Europe/Berlin fall back: 01:00-04:00 is four real hours', () => {
    const day = dstDay(BERLIN, '2026-10-25', '01:00', '04:00');
    expect(day?.start_times).toEqual(['01:00', '01:15', '01:30', '01:45', '02:00', '02:15', '02:30', '02:45', '03:00']);
    expect(iso(localToInstant('2026-10-25', 240, BERLIN))).toBe('2026-10-25T03:00:00.000Z');
    expect(iso(localToInstant('2026-10-25', 60, BERLIN))).toBe('2026-10-24T23:00:00.000Z');
  });

  it('America/New_York spring forward: 01:00-04:00 is two real hours, 02:30 does not exist', () => {
    expect(dstDay(NEW_YORK, '2026-03-08', '01:00', '04:00')?.start_times).toEqual(['01:00', '01:15', '01:30', '01:45', '03:00']);
    const lesson = lessonInstants('2026-03-08', '01:30', 60, NEW_YORK);
    expect([iso(lesson.start_at), iso(lesson.end_at)]).toEqual(['2026-03-08T06:30:00.000Z', '2026-03-08T07:30:00.000Z']);
    // Like luxon, a skipped wall-clock time moves forward by the gap: 02:30 becomes 03:30 EDT.
    expect(iso(localToInstant('2026-03-08', 150, NEW_YORK))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('America/New_York fall back: 00:00-03:00 is four real hours, a repeated time is its first occurrence', () => {
    expect(dstDay(NEW_YORK, '2026-11-01', '00:00', '03:00')).toEqual({
      date: '2026-11-01',
      ranges: [range('00:00', '03:00')],
      start_times: ['00:00', '00:15', '00:30', '00:45', '01:00', '01:15', '01:30', '01:45', '02:00'],
    });
    const lesson = lessonInstants('2026-11-01', '01:30', 60, NEW_YORK);
    expect([iso(lesson.start_at), iso(lesson.end_at)]).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']);
  });

  it('America/New_York fall back: a booked second 01:00 hour leaves the first one bookable', () => {
    const day = dstDay(NEW_YORK, '2026-11-01', '00:00', '03:00', { bookings: [booking('2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z')] });
    expect(day?.ranges).toEqual([range('00:00', '03:00')]);
    expect(day?.start_times).toEqual(['00:00', '00:15', '00:30', '00:45', '01:00', '02:00']);
  });

  it('America/New_York fall back: a free piece whose wall clock runs backwards is reported as both pieces', () => {
    // Free from 01:30 EDT to 01:15 EST: wall-clock end before wall-clock start.
    const bookings = [booking('2026-11-01T04:00:00Z', '2026-11-01T05:30:00Z'), booking('2026-11-01T06:15:00Z', '2026-11-01T08:00:00Z')];
    const day = dstDay(NEW_YORK, '2026-11-01', '00:00', '03:00', { bookings, durationMinutes: 15 });
    expect(day?.ranges).toEqual([range('01:00', '01:15'), range('01:30', '02:00')]);
    expect(day?.start_times).toEqual(['01:30', '01:45']);
  });

  it('resolves repeated times the same way whatever season the code runs in', () => {
    const original = Settings.now;
    try {
      const seen = [Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15)].map((now) => {
        Settings.now = () => now;
        return iso(localToInstant('2026-11-01', 90, NEW_YORK));
      });
      expect(seen).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-01T05:30:00.000Z']);
    } finally {
      Settings.now = original;
    }
  });
});

describe('dates and instants', () => {
  it('lists dates across month, year and leap-day boundaries', () => {
    expect(eachDate('2028-02-27', '2028-03-01')).toEqual(['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
    expect(eachDate('2026-12-31', '2027-01-01')).toEqual(['2026-12-31', '2027-01-01']);
    expect(eachDate('2026-06-15', '2026-06-15')).toEqual(['2026-06-15']);
    expect(eachDate('2026-06-16', '2026-06-15')).toEqual([]);
    expect(() => eachDate('2026-6-1', '2026-06-15')).toThrow(RangeError);
  });

  it('refuses a lesson starting at 24:00 or lasting no time', () => {
    expect(() => lessonInstants('2026-06-15', '24:00', 60, BERLIN)).toThrow(RangeError);
    expect(() => lessonInstants('2026-06-15', '10:00', 0, BERLIN)).toThrow(RangeError);
  });

  it('agrees with luxon: its first occurrence of a wall-clock time, or its forward shift in a gap', () => {
    const zones = [BERLIN, NEW_YORK, 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata', 'UTC'];
    const dates = ['2026-03-29', '2026-10-25', '2026-03-08', '2026-11-01', '2026-04-05', '2026-09-06', '2026-10-04', '2026-06-15'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.constantFrom(...dates), fc.integer({ min: 0, max: 1439 }), (zone, date, minutes) => {
        const [year, month, day] = date.split('-').map(Number);
        const wall = DateTime.fromObject({ year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, { zone });
        const occurrences = wall.getPossibleOffsets().map((dt) => dt.toMillis());
        const expected = occurrences.length > 0 ? Math.min(...occurrences) : wall.toMillis();
        expect(localToInstant(date, minutes, zone).getTime()).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('properties', () => {
  /** A day's ranges, bookings around it, a buffer, a notice cut-off and a duration; instants carry seconds on purpose. */
  const scenario = fc.record({
    minuteRanges: fc.array(fc.record({ start: fc.integer({ min: 0, max: 1440 }), end: fc.integer({ min: 0, max: 1440 }) }), { maxLength: 5 }),
    bookings: fc.array(fc.record({ at: fc.integer({ min: -3 * 3600, max: 27 * 3600 }), seconds: fc.integer({ min: 1, max: 4 * 3600 }) }), { maxLength: 6 }),
    bufferMinutes: fc.integer({ min: 0, max: 60 }),
    notBefore: fc.integer({ min: -2 * 3600, max: 26 * 3600 }),
    durationMinutes: fc.integer({ min: 1, max: 180 }),
  });
  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

  /** The scenario as computePublicAvailability input; second offsets count from `origin`, the date's first instant. */
  const toInput = (timezone: string, date: string, origin: number, s: Scenario): PublicAvailabilityInput => ({
    timezone,
    from: date,
    to: date,
    ranges: new Map([[date, s.minuteRanges.filter((r) => r.start < r.end).map((r) => range(formatTime(r.start), formatTime(r.end)))]]),
    blackouts: new Set(),
    bookings: s.bookings.map((b) => ({ start_at: new Date(origin + b.at * 1000), end_at: new Date(origin + (b.at + b.seconds) * 1000) })),
    bufferMinutes: s.bufferMinutes,
    notBefore: new Date(origin + s.notBefore * 1000),
    durationMinutes: s.durationMinutes,
  });

  /** Brute-force model: [from, to) is clear of every buffered booking and not before the notice cut-off. */
  const clearOfBookings = (s: Scenario, origin: number) => (from: number, to: number) =>
    from >= origin + s.notBefore * 1000 &&
    s.bookings.every((b) => {
      const start = origin + b.at * 1000 - s.bufferMinutes * MINUTE;
      const end = origin + (b.at + b.seconds) * 1000 + s.bufferMinutes * MINUTE;
      return to <= start || end <= from;
    });

  it('on a plain UTC day, lists exactly the grid times whose lesson is inside a range, clear of buffered bookings and not too soon', () => {
    const date = '2026-06-15';
    const origin = Date.UTC(2026, 5, 15);
    fc.assert(
      fc.property(scenario, (s) => {
        const [day] = computePublicAvailability(toInput('UTC', date, origin, s));
        const clear = clearOfBookings(s, origin);
        const expectedTimes: string[] = [];
        for (let m = 0; m < 1440; m += 15) {
          const lesson = { start: m, end: m + s.durationMinutes };
          if (rangeContains(s.minuteRanges, lesson) && clear(origin + m * MINUTE, origin + lesson.end * MINUTE)) expectedTimes.push(formatTime(m));
        }
        expect(day?.start_times).toEqual(expectedTimes);
        // A minute is reported free only if all of it is.
        const freeMinutes = Array.from({ length: 1440 }, (_, m) => ({ start: m, end: m + 1 })).filter(
          (minute) => rangeContains(s.minuteRanges, minute) && clear(origin + minute.start * MINUTE, origin + minute.end * MINUTE),
        );
        expect(toMinuteRanges(day?.ranges ?? [])).toEqual(mergeRanges(freeMinutes));
      }),
      { numRuns: 300 },
    );
  });

  it('on DST days, lists exactly the existing grid times whose lesson instants are free, and reports exactly the free wall-clock minutes', () => {
    const transitions = [
      [BERLIN, '2026-03-29'],
      [BERLIN, '2026-10-25'],
      [NEW_YORK, '2026-03-08'],
      [NEW_YORK, '2026-11-01'],
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...transitions), scenario, ([zone, date], s) => {
        const origin = localToInstant(date, 0, zone).getTime();
        const [day] = computePublicAvailability(toInput(zone, date, origin, s));
        // Merged as instants too: across a gap, 00:00-02:00 and 03:00-04:00 touch (02:00 resolves to 03:00).
        const open = mergeIntervals(
          mergeRanges(s.minuteRanges).map((r) => ({ start: localToInstant(date, r.start, zone).getTime(), end: localToInstant(date, r.end, zone).getTime() })),
        );
        const clear = clearOfBookings(s, origin);
        const isFree = (from: number, to: number) => clear(from, to) && open.some((o) => o.start <= from && to <= o.end);
        const reported = toMinuteRanges(day?.ranges ?? []);
        const covers = (minute: number) => rangeContains(reported, { start: minute, end: minute + 1 });

        const expectedTimes: string[] = [];
        for (let m = 0; m < 1440; m += 15) {
          const { start_at, end_at } = lessonInstants(date, formatTime(m), s.durationMinutes, zone);
          const exists = DateTime.fromJSDate(start_at, { zone }).toFormat('HH:mm') === formatTime(m);
          if (exists && isFree(start_at.getTime(), end_at.getTime())) expectedTimes.push(formatTime(m));
        }
        expect(day?.start_times).toEqual(expectedTimes);
        for (const time of expectedTimes) expect(covers(parseTime(time))).toBe(true);

        // Every fully free real minute shows up under its wall-clock time.
        const end = localToInstant(date, 1440, zone).getTime();
        for (let t = origin; t < end; t += MINUTE) {
          const wall = DateTime.fromMillis(t, { zone });
          if (isFree(t, t + MINUTE)) expect(covers(wall.hour * 60 + wall.minute)).toBe(true);
        }
        // And every reported wall-clock minute that exists today is free at one of its occurrences.
        const [year, month, dayOfMonth] = date.split('-').map(Number);
        for (const r of reported) {
          for (let m = r.start; m < r.end; m++) {
            const wall = DateTime.fromObject({ year, month, day: dayOfMonth, hour: Math.floor(m / 60), minute: m % 60 }, { zone });
            // In a DST gap luxon returns the reading moved forward (02:01 -> 03:01), not []: keep only true occurrences of m.
            const occurrences = wall.getPossibleOffsets().filter((dt) => dt.hour * 60 + dt.minute === m).map((dt) => dt.toMillis());
            if (occurrences.length > 0) expect(occurrences.some((t) => isFree(t, t + MINUTE))).toBe(true);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
