import type { AvailabilityDay, Booking, TimeRange } from '@instainstru/sdk';
import { weekday } from './dates.js';
import { formatRanges, minutesOf } from './ranges.js';

const CELL = 30; // minutes per character of the bar

/** The hours a grid shows: 06-22, widened to fit every range and booking. */
function window(times: readonly TimeRange[]): [number, number] {
  const starts = times.map((r) => Math.floor(minutesOf(r.start_time) / 60));
  const ends = times.map((r) => Math.ceil(minutesOf(r.end_time) / 60));
  return [Math.min(6, ...starts), Math.max(22, ...ends)];
}

function covers(ranges: readonly TimeRange[], minute: number): boolean {
  return ranges.some((r) => minutesOf(r.start_time) <= minute && minute < minutesOf(r.end_time));
}

/**
 * Days as rows: the ranges as text, then a bar of the day in 30-minute cells
 * (`=` available, `#` booked, `.` free), plain ASCII so it reads in pipes too.
 */
export function weekGrid(days: readonly AvailabilityDay[], bookings: readonly Booking[] = []): string {
  const active = bookings.filter((b) => b.status === 'pending' || b.status === 'confirmed');
  const [from, to] = window([...days.flatMap((d) => d.ranges), ...active]);
  const textWidth = Math.max(11, ...days.map((d) => formatRanges(d.ranges).length));
  const ruler = Array.from({ length: to - from }, (_, i) => (i % 3 === 0 ? String(from + i).padStart(2, '0').padEnd(2 * 3) : '')).join('');
  const header = `${' '.repeat(16 + textWidth + 2)}${ruler}`.trimEnd();
  const rows = days.map((day) => {
    const booked = active.filter((b) => b.date === day.date);
    const bar = Array.from({ length: ((to - from) * 60) / CELL }, (_, i) => {
      const middle = from * 60 + i * CELL + CELL / 2;
      if (covers(booked, middle)) return '#';
      return covers(day.ranges, middle) ? '=' : '.';
    }).join('');
    return `${weekday(day.date)} ${day.date}  ${formatRanges(day.ranges).padEnd(textWidth)}  ${bar}`;
  });
  return [header, ...rows].join('\n');
}

/** Bookings as short lines under a grid, e.g. `Tue 2026-07-14 10:00-11:00 Piano, Sam Student (confirmed)`. */
export function bookingLines(bookings: readonly Pick<Booking, 'date' | 'start_time' | 'end_time' | 'status'>[]): string[] {
  return bookings.map((b) => {
    const who = 'skill' in b ? ` ${String(b.skill)}, ${(b as Booking).student.full_name}` : '';
    return `${weekday(b.date)} ${b.date} ${b.start_time}-${b.end_time}${who} (${b.status})`;
  });
}
