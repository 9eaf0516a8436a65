import { useRef } from 'preact/hooks';
import { addDays } from './time.js';

export interface MonthProps {
  /** First day of the month shown, `YYYY-MM-01`. */
  month: string;
  /** Dates with at least one free start time. */
  free: Set<string>;
  selected: string | undefined;
  /** The earliest month the visitor may go back to. */
  first: string;
  locale: string | undefined;
  loading: boolean;
  onMonth(month: string): void;
  onDay(date: string): void;
}

const shiftMonth = (month: string, n: number) => {
  const d = new Date(`${month}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
};

/** A month grid marking days with free time; arrow keys move between days (one tab stop). */
export function Month({ month, free, selected, first, locale, loading, onMonth, onDay }: MonthProps) {
  const grid = useRef<HTMLDivElement>(null);
  const title = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${month}T00:00:00Z`));
  const lead = (new Date(`${month}T00:00:00Z`).getUTCDay() + 6) % 7;
  const next = shiftMonth(month, 1);
  const dates: string[] = [];
  for (let d = month; d < next; d = addDays(d, 1)) dates.push(d);
  const focusable = selected && dates.includes(selected) ? selected : (dates.find((d) => free.has(d)) ?? month);
  const weekday = (i: number) => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + i));
  const move = (e: KeyboardEvent, date: string) => {
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[e.key];
    if (!step) return;
    e.preventDefault();
    const target = addDays(date, step);
    if (target < month || target >= next) return onMonth(shiftMonth(month, step > 0 ? 1 : -1));
    grid.current?.querySelector<HTMLButtonElement>(`[data-date="${target}"]`)?.focus();
  };
  return (
    <div class="month">
      <div class="month-head">
        <button type="button" class="nav" aria-label="Previous month" disabled={month <= first} onClick={() => onMonth(shiftMonth(month, -1))}>‹</button>
        <h3 aria-live="polite">{title}</h3>
        <button type="button" class="nav" aria-label="Next month" onClick={() => onMonth(next)}>›</button>
      </div>
      <div class="grid" role="group" aria-label={title} aria-busy={loading} ref={grid}>
        {[0, 1, 2, 3, 4, 5, 6].map((i) => (
          <span class="wd" aria-hidden="true" key={`w${i}`}>{weekday(i)}</span>
        ))}
        {Array.from({ length: lead }, (_, i) => <span key={`l${i}`} />)}
        {dates.map((date) => {
          const open = free.has(date);
          const label = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.parse(`${date}T00:00:00Z`));
          return (
            <button
              type="button"
              key={date}
              data-date={date}
              class={open ? 'day free' : 'day'}
              aria-pressed={date === selected}
              aria-disabled={!open}
              aria-label={`${label}${open ? ', free times' : ', no free times'}`}
              tabIndex={date === focusable ? 0 : -1}
              onKeyDown={(e) => move(e, date)}
              onClick={() => open && onDay(date)}
            >
              {Number(date.slice(8))}
            </button>
          );
        })}
      </div>
    </div>
  );
}
