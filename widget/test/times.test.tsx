import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/preact';
import { Times } from '../src/times.js';
import { instantOf } from '../src/time.js';

describe('Times', () => {
  const slots = [{ date: '2026-12-07', time: '09:00' }, { date: '2026-12-07', time: '09:15' }];

  it("shows the visitor's time, with the instructor's own beside it when the zones differ", () => {
    const onPick = vi.fn();
    render(<Times slots={slots} zone="Europe/Berlin" visitor="America/New_York" locale="en-US" label="Start times" onPick={onPick} />);
    const buttons = screen.getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['3:00 AM 09:00 Berlin', '3:15 AM 09:15 Berlin']);
    fireEvent.click(buttons[1]!);
    expect(onPick).toHaveBeenCalledWith(slots[1]);
    expect(screen.getByRole('list', { name: 'Start times' })).toBeTruthy();
  });

  it('shows one time when the visitor is in the same zone', () => {
    render(<Times slots={slots} zone="Europe/Berlin" visitor="Europe/Berlin" locale="en-GB" label="Start times" onPick={() => undefined} />);
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['9:00', '9:15']);
  });
});

describe('instantOf', () => {
  it('turns a wall-clock time in a zone into the UTC instant, on both sides of a DST change', () => {
    expect(new Date(instantOf('2026-12-07', '09:00', 'Europe/Berlin')).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(new Date(instantOf('2026-07-07', '09:00', 'Europe/Berlin')).toISOString()).toBe('2026-07-07T07:00:00.000Z');
    expect(new Date(instantOf('2026-03-29', '03:30', 'Europe/Berlin')).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(instantOf('2026-11-01', '23:45', 'America/Los_Angeles')).toISOString()).toBe('2026-11-02T07:45:00.000Z');
  });
});
