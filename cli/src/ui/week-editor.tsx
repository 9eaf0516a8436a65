import { useReducer, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { AvailabilityDay, AvailabilityWriteResult, Booking } from '@instainstru/sdk';
import { weekday } from '../lib/dates.js';
import { bookingLines } from '../lib/week-grid.js';
import { initialWeek, isDirty, lessonsOutside, parsedDays, RANGE_CHARACTERS, weekReducer } from './week-state.js';

export interface WeekEditorProps {
  monday: string;
  timezone: string;
  days: readonly AvailabilityDay[];
  bookings: readonly Booking[];
  /** Saves the whole week at once (one `availability.saveDays` call). */
  save: (days: AvailabilityDay[]) => Promise<AvailabilityWriteResult>;
  /** Turns an error into the one-line message shown at the bottom. */
  describeError: (error: unknown) => string;
}

/** The interactive week editor: arrows pick a day, typing edits its ranges, s saves the week, q quits. */
export function WeekEditor({ monday, timezone, days, bookings, save, describeError }: WeekEditorProps) {
  const { exit } = useApp();
  const [state, dispatch] = useReducer(weekReducer, initialWeek(monday, days));
  const [saving, setSaving] = useState(false);
  const parsed = parsedDays(state);

  const saveWeek = async () => {
    const invalid = parsed.find((d) => d.error);
    if (invalid) return dispatch({ type: 'message', message: `Not saved: ${weekday(invalid.date)} ${invalid.error}.` });
    setSaving(true);
    try {
      const result = await save(parsed.map((d) => ({ date: d.date, ranges: d.ranges! })));
      dispatch({ type: 'saved' });
      const outside = result.bookings_outside;
      dispatch({ type: 'message', message: outside.length === 0 ? 'Saved the week.' : `Saved. Warning: ${outside.length} lesson(s) now outside your availability (still booked): ${bookingLines(outside).join('; ')}` });
    } catch (error) {
      dispatch({ type: 'message', message: `Not saved: ${describeError(error)}` });
    } finally {
      setSaving(false);
    }
  };

  useInput((input, key) => {
    if (saving) return;
    if (key.upArrow || key.leftArrow || (key.shift && key.tab)) return dispatch({ type: 'move', by: -1 });
    if (key.downArrow || key.rightArrow || key.tab || key.return) return dispatch({ type: 'move', by: 1 });
    if (key.backspace || key.delete) return dispatch({ type: 'erase' });
    if (key.ctrl && input === 'u') return dispatch({ type: 'clear' });
    if (input === 's') return void saveWeek();
    if (input === 'q') {
      if (isDirty(state) && !state.confirmQuit) return dispatch({ type: 'quit-pressed' });
      return exit();
    }
    if (RANGE_CHARACTERS.test(input)) dispatch({ type: 'type', text: input });
  });

  return (
    <Box flexDirection="column">
      <Text bold>
        Week of {monday} ({timezone}){isDirty(state) ? ' - unsaved' : ''}
      </Text>
      <Text dimColor>↑/↓ day · type e.g. 09:00-12:00 14:00-17:00 · ⌫ · Ctrl+U clear · s save · q quit</Text>
      {state.dates.map((date, i) => {
        const day = parsed[i]!;
        const lessons = bookings.filter((b) => b.date === date);
        const outside = day.ranges ? lessonsOutside(lessons, date, day.ranges) : [];
        const selected = i === state.selected;
        return (
          <Box key={date} gap={2}>
            <Text inverse={selected}>
              {selected ? '>' : ' '} {weekday(date)} {date}
            </Text>
            <Box width={30}>
              <Text color={day.error ? 'red' : undefined}>
                {state.texts[i] || (selected ? '' : 'not available')}
                {selected ? '_' : ''}
              </Text>
            </Box>
            <Text color={outside.length > 0 ? 'yellow' : undefined}>
              {lessons.map((b) => `${b.start_time}-${b.end_time} ${b.skill}`).join(', ')}
              {outside.length > 0 ? ` (${outside.length} outside!)` : ''}
            </Text>
          </Box>
        );
      })}
      <Text>{saving ? 'Saving…' : state.message}</Text>
    </Box>
  );
}
