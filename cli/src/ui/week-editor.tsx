import { useReducer, useRef, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { AvailabilityDay, AvailabilityWriteResult, Booking } from '@instainstru/sdk';
import { addDays, weekday } from '../lib/dates.js';
import { bookingLines } from '../lib/week-grid.js';
import { Interrupted, plain, useColumns } from './use-columns.js';
import { initialWeek, isDirty, lessonsOutside, parsedDays, RANGE_CHARACTERS, weekReducer } from './week-state.js';

export interface WeekEditorProps {
  monday: string;
  timezone: string;
  days: readonly AvailabilityDay[];
  bookings: readonly Booking[];
  /** Saves the whole week at once (one `availability.saveDays` call). */
  save: (days: AvailabilityDay[]) => Promise<AvailabilityWriteResult>;
  /** Loads another week (for [ and ]); without it the editor stays on its week. */
  loadWeek?: (monday: string) => Promise<{ days: readonly AvailabilityDay[]; bookings: readonly Booking[] }>;
  /** Turns an error into the one-line message shown at the bottom. */
  describeError: (error: unknown) => string;
  /** Layout width; defaults to the terminal's, following resizes. */
  width?: number;
}

const DAY_WIDTH = 16; // "> Mon 2026-07-06"

/** The interactive week editor: arrows pick a day, typing edits its ranges, [ ] change the week, s saves, q quits. */
export function WeekEditor({ monday: firstMonday, timezone, days, bookings: firstBookings, save, loadWeek, describeError, width }: WeekEditorProps) {
  const { exit } = useApp();
  const columns = useColumns(width);
  const noColor = plain();
  const [state, dispatchNow] = useReducer(weekReducer, initialWeek(firstMonday, days));
  // The state after every key so far, before React re-renders: a chunk's later keys (s, q, [ ]) see its earlier ones.
  const latest = useRef(state);
  latest.current = state;
  const dispatch = (action: Parameters<typeof weekReducer>[1]) => {
    latest.current = weekReducer(latest.current, action);
    dispatchNow(action);
  };
  const [bookings, setBookings] = useState(firstBookings);
  const [busy, setBusy] = useState<'' | 'saving' | 'loading'>('');
  const parsed = parsedDays(state);
  const monday = state.dates[0]!;

  const saveWeek = async () => {
    const parsed = parsedDays(latest.current);
    const invalid = parsed.find((d) => d.error);
    if (invalid) return dispatch({ type: 'message', message: `Not saved: ${weekday(invalid.date)} ${invalid.error}.` });
    setBusy('saving');
    try {
      const result = await save(parsed.map((d) => ({ date: d.date, ranges: d.ranges! })));
      dispatch({ type: 'saved' });
      const outside = result.bookings_outside;
      dispatch({ type: 'message', message: outside.length === 0 ? 'Saved the week.' : `Saved. Warning: ${outside.length} lesson(s) now outside your availability (still booked): ${bookingLines(outside).join('; ')}` });
    } catch (error) {
      dispatch({ type: 'message', message: `Not saved: ${describeError(error)}` });
    } finally {
      setBusy('');
    }
  };

  const changeWeek = async (by: number) => {
    if (!loadWeek) return;
    if (isDirty(latest.current) && !latest.current.confirmLeave) return dispatch({ type: 'leave-pressed' });
    const target = addDays(latest.current.dates[0]!, 7 * by);
    setBusy('loading');
    try {
      const week = await loadWeek(target);
      setBookings(week.bookings);
      dispatch({ type: 'load', monday: target, days: week.days });
    } catch (error) {
      dispatch({ type: 'message', message: `Could not load the week of ${target}: ${describeError(error)}` });
    } finally {
      setBusy('');
    }
  };

  // One key at a time: a chunk of several (fast typing, paste, SSH) is split, so no key is lost.
  const press = (ch: string) => {
    if (ch === 's') return void saveWeek();
    if (ch === '[' || ch === ']') return void changeWeek(ch === '[' ? -1 : 1);
    if (ch === 'q') {
      if (isDirty(latest.current) && !latest.current.confirmQuit) return dispatch({ type: 'quit-pressed' });
      return exit();
    }
    if (RANGE_CHARACTERS.test(ch)) dispatch({ type: 'type', text: ch });
  };

  useInput((input, key) => {
    if (key.ctrl && input === 'c') return exit(new Interrupted('Interrupted'));
    if (busy) return;
    if (key.upArrow || key.leftArrow || (key.shift && key.tab)) return dispatch({ type: 'move', by: -1 });
    if (key.downArrow || key.rightArrow || key.tab || key.return) return dispatch({ type: 'move', by: 1 });
    if (key.pageUp || key.pageDown) return void changeWeek(key.pageUp ? -1 : 1);
    if (key.backspace || key.delete) return dispatch({ type: 'erase' });
    if (key.ctrl && input === 'u') return dispatch({ type: 'clear' });
    if (key.ctrl || key.meta || key.escape) return;
    // A chunk that ends in a range keeps typing it; [...input] splits by character, not UTF-16 unit.
    for (const ch of [...input]) press(ch);
  });

  const rangesWidth = Math.max(14, Math.min(30, columns - DAY_WIDTH - 4));
  const inlineWidth = columns - DAY_WIDTH - rangesWidth - 4;
  return (
    <Box flexDirection="column" width={columns}>
      <Text bold={!noColor} wrap="truncate-end">
        Week of {monday} ({timezone}){isDirty(state) ? ' - unsaved' : ''}
      </Text>
      <Text dimColor={!noColor} wrap="wrap">
        ↑/↓ day · type e.g. 09:00-12:00 14:00-17:00 · ⌫ · Ctrl+U clear{loadWeek ? ' · [ ] week' : ''} · s save · q quit
      </Text>
      {state.dates.map((date, i) => {
        const day = parsed[i]!;
        const lessons = bookings.filter((b) => b.date === date);
        const outside = day.ranges ? lessonsOutside(lessons, date, day.ranges) : [];
        const selected = i === state.selected;
        const lessonText = `${lessons.map((b) => `${b.start_time}-${b.end_time} ${b.skill}`).join(', ')}${outside.length > 0 ? ` (${outside.length} outside!)` : ''}`;
        // Lessons beside the day when they fit, else on their own line below it: never wrapped into the next day.
        const inline = lessonText.length <= inlineWidth;
        const lessonLine = (
          <Text color={outside.length > 0 && !noColor ? 'yellow' : undefined} wrap="truncate-end">
            {lessonText}
          </Text>
        );
        return (
          <Box key={date} flexDirection="column">
            <Box gap={2}>
              <Text inverse={selected && !noColor}>
                {selected ? '>' : ' '} {weekday(date)} {date}
              </Text>
              <Box width={rangesWidth}>
                <Text color={day.error && !noColor ? 'red' : undefined} wrap="truncate-start">
                  {state.texts[i] || (selected ? '' : 'not available')}
                  {selected ? '_' : ''}
                  {day.error && noColor ? ' !' : ''}
                </Text>
              </Box>
              {inline && lessonText ? lessonLine : null}
            </Box>
            {!inline && lessonText ? <Box marginLeft={4}>{lessonLine}</Box> : null}
          </Box>
        );
      })}
      <Text wrap="wrap">{busy === 'saving' ? 'Saving…' : busy === 'loading' ? 'Loading…' : state.message}</Text>
    </Box>
  );
}
