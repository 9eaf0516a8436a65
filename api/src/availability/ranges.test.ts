import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type MinuteRange,
  formatTime,
  mergeIntervals,
  mergeRanges,
  parseTime,
  rangeContains,
  subtractIntervals,
  subtractRanges,
  toMinuteRanges,
  toTimeRanges,
} from './ranges.js';

/** Which minutes of the day (0..1439) the ranges cover: the model the range math must agree with. */
function minuteSet(ranges: MinuteRange[]): boolean[] {
  const covered = new Array<boolean>(1440).fill(false);
  for (const r of ranges) for (let m = Math.max(0, r.start); m < Math.min(1440, r.end); m++) covered[m] = true;
  return covered;
}

// Half of the generated ranges are empty or inverted, so dropping them is exercised too.
const anyRange = fc.record({ start: fc.integer({ min: 0, max: 1440 }), end: fc.integer({ min: 0, max: 1440 }) });
const someRanges = fc.array(anyRange, { maxLength: 12 });
const nonEmptyRange = anyRange.filter((r) => r.start < r.end);

describe('parseTime / formatTime', () => {
  it('parses and formats wall-clock times', () => {
    expect(parseTime('00:00')).toBe(0);
    expect(parseTime('09:30')).toBe(570);
    expect(parseTime('23:59')).toBe(1439);
    expect(parseTime('24:00')).toBe(1440);
    expect(formatTime(0)).toBe('00:00');
    expect(formatTime(570)).toBe('09:30');
    expect(formatTime(1440)).toBe('24:00');
  });

  it.each(['9:30', '09:3', '24:01', '25:00', '12:60', '', 'ab:cd', '09:30:00', ' 09:30', '-1:00'])(
    'rejects %j',
    (bad) => {
      expect(() => parseTime(bad)).toThrow(RangeError);
    },
  );

  it.each([-1, 1441, 1.5, NaN, Infinity])('refuses to format %d', (bad) => {
    expect(() => formatTime(bad)).toThrow(RangeError);
  });

  it('round-trips every minute of the day', () => {
    for (let m = 0; m <= 1440; m++) expect(parseTime(formatTime(m))).toBe(m);
  });

  it('converts wire ranges both ways', () => {
    const wire = [{ start_time: '09:00', end_time: '24:00' }];
    expect(toMinuteRanges(wire)).toEqual([{ start: 540, end: 1440 }]);
    expect(toTimeRanges(toMinuteRanges(wire))).toEqual(wire);
  });
});

describe('mergeRanges', () => {
  it('merges touching ranges', () => {
    expect(mergeRanges([{ start: 720, end: 780 }, { start: 540, end: 720 }])).toEqual([{ start: 540, end: 780 }]);
  });

  it('merges overlapping ranges and keeps gaps', () => {
    expect(
      mergeRanges([
        { start: 600, end: 700 },
        { start: 540, end: 620 },
        { start: 800, end: 900 },
      ]),
    ).toEqual([
      { start: 540, end: 700 },
      { start: 800, end: 900 },
    ]);
  });

  it('drops empty ranges and does not mutate its input', () => {
    const input = [{ start: 60, end: 60 }, { start: 90, end: 30 }, { start: 0, end: 10 }, { start: 5, end: 20 }];
    const copy = structuredClone(input);
    expect(mergeRanges(input)).toEqual([{ start: 0, end: 20 }]);
    expect(input).toEqual(copy);
  });

  it('is sorted, non-overlapping, non-touching and covers exactly the input minutes', () => {
    fc.assert(
      fc.property(someRanges, (ranges) => {
        const merged = mergeRanges(ranges);
        merged.forEach((r, i) => {
          expect(r.start).toBeLessThan(r.end);
          const next = merged[i + 1];
          if (next) expect(r.end).toBeLessThan(next.start);
        });
        expect(minuteSet(merged)).toEqual(minuteSet(ranges));
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(someRanges, (ranges) => {
        expect(mergeRanges(mergeRanges(ranges))).toEqual(mergeRanges(ranges));
      }),
    );
  });
});

describe('subtractRanges', () => {
  it('splits a range around a hole', () => {
    expect(subtractRanges([{ start: 540, end: 1020 }], [{ start: 720, end: 780 }])).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 1020 },
    ]);
  });

  it('removes everything when the cut covers it', () => {
    expect(subtractRanges([{ start: 540, end: 600 }, { start: 660, end: 700 }], [{ start: 0, end: 1440 }])).toEqual([]);
  });

  it('handles a cut spanning several ranges and unsorted input', () => {
    expect(
      subtractRanges(
        [{ start: 800, end: 900 }, { start: 540, end: 600 }, { start: 660, end: 700 }],
        [{ start: 690, end: 850 }, { start: 0, end: 550 }],
      ),
    ).toEqual([
      { start: 550, end: 600 },
      { start: 660, end: 690 },
      { start: 850, end: 900 },
    ]);
  });

  it('covers exactly the minutes in `from` and not in `remove`, merged', () => {
    fc.assert(
      fc.property(someRanges, someRanges, (from, remove) => {
        const result = subtractRanges(from, remove);
        const kept = minuteSet(from);
        const removed = minuteSet(remove);
        expect(minuteSet(result)).toEqual(kept.map((inFrom, m) => inFrom && !removed[m]));
        expect(mergeRanges(result)).toEqual(result);
      }),
    );
  });
});

describe('rangeContains', () => {
  it('requires the span to sit inside one merged range', () => {
    const ranges = [{ start: 540, end: 720 }, { start: 720, end: 780 }, { start: 900, end: 960 }];
    expect(rangeContains(ranges, { start: 700, end: 760 })).toBe(true);
    expect(rangeContains(ranges, { start: 770, end: 910 })).toBe(false);
    expect(rangeContains(ranges, { start: 900, end: 960 })).toBe(true);
    expect(rangeContains(ranges, { start: 900, end: 961 })).toBe(false);
  });

  it('never contains an empty span', () => {
    expect(rangeContains([{ start: 0, end: 1440 }], { start: 600, end: 600 })).toBe(false);
  });

  it('agrees with the minute-set model', () => {
    fc.assert(
      fc.property(someRanges, nonEmptyRange, (ranges, inner) => {
        const covered = minuteSet(ranges);
        // Merged ranges never touch, so covering every minute means lying in one of them.
        const model = covered.slice(inner.start, inner.end).every(Boolean);
        expect(rangeContains(ranges, inner)).toBe(model);
      }),
    );
  });
});

describe('epoch-ms intervals', () => {
  it('merge and subtract with the same semantics', () => {
    const t = Date.UTC(2026, 0, 1);
    const hour = 3_600_000;
    expect(mergeIntervals([{ start: t + hour, end: t + 2 * hour }, { start: t, end: t + hour }])).toEqual([
      { start: t, end: t + 2 * hour },
    ]);
    expect(subtractIntervals([{ start: t, end: t + 3 * hour }], [{ start: -Infinity, end: t + hour }])).toEqual([
      { start: t + hour, end: t + 3 * hour },
    ]);
  });
});
