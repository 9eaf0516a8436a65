import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/preact';
import { Month } from '../src/month.js';

const props = (over: Partial<Parameters<typeof Month>[0]> = {}) => ({
  month: '2026-12-01',
  free: new Set(['2026-12-03', '2026-12-04', '2026-12-10']),
  selected: undefined,
  first: '2026-12-01',
  locale: 'en-US',
  loading: false,
  onMonth: vi.fn(),
  onDay: vi.fn(),
  ...over,
});

describe('Month', () => {
  it('names the month, marks the days with free times and starts on Monday', () => {
    render(<Month {...props()} />);
    expect(screen.getByRole('heading', { name: 'December 2026' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Thursday, December 3, free times' }).getAttribute('aria-disabled')).toBe('false');
    expect(screen.getByRole('button', { name: 'Tuesday, December 1, no free times' }).getAttribute('aria-disabled')).toBe('true');
    expect(screen.getAllByRole('button', { name: /, (no )?free times$/ })).toHaveLength(31);
    // December 2026 starts on a Tuesday: one empty cell after the seven weekday names.
    const cells = [...document.querySelector('.grid')!.children];
    expect(cells[7]!.tagName).toBe('SPAN');
    expect(cells[8]!.getAttribute('data-date')).toBe('2026-12-01');
  });

  it('selects only days with free times', () => {
    const p = props();
    render(<Month {...p} />);
    fireEvent.click(screen.getByRole('button', { name: /December 1, no free times/ }));
    expect(p.onDay).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: /December 4, free times/ }));
    expect(p.onDay).toHaveBeenCalledWith('2026-12-04');
  });

  it('is one tab stop: the first free day (or the selected one); arrow keys move by day and week', () => {
    const { rerender } = render(<Month {...props()} />);
    const tabbable = () => [...document.querySelectorAll('.day')].filter((b) => b.getAttribute('tabindex') === '0').map((b) => b.getAttribute('data-date'));
    expect(tabbable()).toEqual(['2026-12-03']);
    rerender(<Month {...props({ selected: '2026-12-10' })} />);
    expect(tabbable()).toEqual(['2026-12-10']);
    const day3 = screen.getByRole('button', { name: /December 3,/ });
    fireEvent.keyDown(day3, { key: 'ArrowDown' });
    expect((document.activeElement as HTMLElement).dataset.date).toBe('2026-12-10');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect((document.activeElement as HTMLElement).dataset.date).toBe('2026-12-09');
  });

  it('turns the page at the month edge and never before the first month', () => {
    const p = props();
    render(<Month {...p} />);
    expect((screen.getByRole('button', { name: 'Previous month' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Next month' }));
    expect(p.onMonth).toHaveBeenCalledWith('2027-01-01');
    fireEvent.keyDown(screen.getByRole('button', { name: /December 31,/ }), { key: 'ArrowRight' });
    expect(p.onMonth).toHaveBeenLastCalledWith('2027-01-01');
  });
});
