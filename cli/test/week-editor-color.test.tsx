import { describe, expect, it } from 'vitest';

// Colours on (as in a colour terminal) before ink and chalk load, so NO_COLOR is what takes them away.
process.env.FORCE_COLOR = '1';

describe('the week editor and NO_COLOR', () => {
  it('uses colour and inverse normally, none with NO_COLOR; the > marker and ! still show the day and the error', async () => {
    const [{ render }, { createElement }, { WeekEditor }] = await Promise.all([import('ink-testing-library'), import('react'), import('../src/ui/week-editor.js')]);
    const frameOf = async () => {
      const ui = render(createElement(WeekEditor, { monday: '2026-07-13', timezone: 'Europe/Berlin', days: [], bookings: [], save: async () => ({ days: [], bookings_outside: [] }), describeError: String }));
      await new Promise((r) => setTimeout(r, 50));
      ui.stdin.write('9');
      await new Promise((r) => setTimeout(r, 50));
      const frame = ui.lastFrame()!;
      ui.unmount();
      return frame;
    };
    expect((await frameOf()).includes('\u001B[')).toBe(true);
    process.env.NO_COLOR = '1';
    try {
      const frame = await frameOf();
      expect(frame.includes('\u001B[')).toBe(false);
      expect(frame).toMatch(/> Mon 2026-07-13\s+9_ !/);
    } finally {
      delete process.env.NO_COLOR;
    }
  });
});
