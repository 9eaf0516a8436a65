import { describe, expect, it } from 'vitest';
import { initialWeek, isDirty, parsedDays, weekReducer } from '../src/ui/week-state.js';

describe('week editor state', () => {
  const start = initialWeek('2026-07-06', [{ date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '12:00' }] }]);

  it('starts a new range when typing after a complete one, and wraps around the week', () => {
    const typed = weekReducer(start, { type: 'type', text: '14:00-17:00' });
    expect(typed.texts[0]).toBe('09:00-12:00 14:00-17:00');
    expect(isDirty(typed)).toBe(true);
    expect(weekReducer(start, { type: 'move', by: -1 }).selected).toBe(6);
    expect(parsedDays(typed)[0]!.ranges).toHaveLength(2);
  });

  it('reports a bad day instead of ranges', () => {
    const bad = weekReducer(weekReducer(start, { type: 'clear' }), { type: 'type', text: '9-12' });
    expect(parsedDays(bad)[0]).toEqual({ date: '2026-07-06', error: '"9-12" is not a time range like 09:00-12:00' });
  });
});
