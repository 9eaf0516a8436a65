import type { AvailabilityDay, Booking, TimeRange } from '@instainstru/sdk';
import { weekDates } from '../lib/dates.js';
import { formatRanges, minutesOf, parseRanges } from '../lib/ranges.js';

/** The week editor's state: one text per day, the selected day, and a status line. */
export interface WeekState {
  dates: string[];
  texts: string[];
  saved: string[];
  selected: number;
  message: string;
  confirmQuit: boolean;
  /** A second [ or ] drops unsaved changes. */
  confirmLeave: boolean;
}

export type WeekAction =
  | { type: 'move'; by: number }
  | { type: 'type'; text: string }
  | { type: 'erase' }
  | { type: 'clear' }
  | { type: 'message'; message: string }
  | { type: 'saved' }
  | { type: 'quit-pressed' }
  | { type: 'leave-pressed' }
  | { type: 'load'; monday: string; days: readonly AvailabilityDay[] };

/** Characters a range text can contain; anything else is a command key or ignored. */
export const RANGE_CHARACTERS = /^[0-9:\- ,]+$/;

/** The editor's first state, from the week's stored days. */
export function initialWeek(monday: string, days: readonly AvailabilityDay[]): WeekState {
  const dates = weekDates(monday);
  const texts = dates.map((date) => formatRanges(days.find((d) => d.date === date)?.ranges ?? [], ''));
  return { dates, texts, saved: [...texts], selected: 0, message: '', confirmQuit: false, confirmLeave: false };
}

/** Applies one key's effect. */
export function weekReducer(state: WeekState, action: WeekAction): WeekState {
  const edit = (text: string) => ({ ...state, texts: state.texts.map((t, i) => (i === state.selected ? text : t)), message: '', confirmQuit: false, confirmLeave: false });
  const current = state.texts[state.selected]!;
  switch (action.type) {
    case 'move':
      return { ...state, selected: (state.selected + action.by + 7) % 7, confirmQuit: false, confirmLeave: false };
    case 'type':
      // Typing a new range right after a complete one starts a new range, not a longer one.
      return edit(/\d\d:\d\d-\d\d:\d\d$/.test(current) && /^\d/.test(action.text) ? `${current} ${action.text}` : current + action.text);
    case 'erase':
      return edit(current.slice(0, -1));
    case 'clear':
      return edit('');
    case 'message':
      return { ...state, message: action.message };
    case 'saved':
      return { ...state, saved: [...state.texts], confirmQuit: false };
    case 'quit-pressed':
      return { ...state, confirmQuit: true, message: 'Unsaved changes: press q again to quit without saving, or s to save.' };
    case 'leave-pressed':
      return { ...state, confirmLeave: true, message: 'Unsaved changes: press [ or ] again to drop them, or s to save.' };
    case 'load':
      return { ...initialWeek(action.monday, action.days), selected: state.selected };
  }
}

/** True when some day differs from what was last loaded or saved. */
export function isDirty(state: WeekState): boolean {
  return state.texts.some((t, i) => t.trim().replace(/\s+/g, ' ') !== state.saved[i]);
}

/** Each day's parsed ranges, or the reason its text is not valid. */
export function parsedDays(state: WeekState): { date: string; ranges?: TimeRange[]; error?: string }[] {
  return state.dates.map((date, i) => {
    try {
      return { date, ranges: parseRanges(state.texts[i]!) };
    } catch (error) {
      return { date, error: (error as Error).message };
    }
  });
}

/** The lessons on a date that no range fully contains (they would stay booked, outside availability). */
export function lessonsOutside(bookings: readonly Booking[], date: string, ranges: readonly TimeRange[]): Booking[] {
  return bookings.filter(
    (b) => b.date === date && !ranges.some((r) => minutesOf(r.start_time) <= minutesOf(b.start_time) && minutesOf(b.end_time) <= minutesOf(r.end_time)),
  );
}
