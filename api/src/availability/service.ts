import type { Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { addDays, assertDate, assertDateSpan, weekdayOf } from '../platform/time.js';
import { decodeCursor, pageOf } from '../platform/pagination.js';
import type { BookingTimeRepository, BookingTimeRow } from '../bookings/repository.js';
import { mergeRanges, parseTime, toTimeRanges, type MinuteRange, type TimeRange } from './ranges.js';
import { eachDate } from './public-availability.js';
import { fitsAvailability } from './fit.js';
import type { AvailabilityRepository } from './repository.js';
import type { SearchIndex } from '../search/index-writer.js';

const MAX_READ_DAYS = 366;
const MAX_PATTERN_DAYS = 366;

interface Deps {
  db: Db;
  availability: AvailabilityRepository;
  bookingTimes: BookingTimeRepository;
  /** Throws forbidden unless the user is an instructor; returns the instructor's zone. */
  instructorZone(userId: string): Promise<string>;
  onPublicChange(instructorId: string): Promise<void>;
  /** Keeps search's bookable days in step, in the same transaction. */
  search: Pick<SearchIndex, 'datesChanged'>;
}

/** Validates and merges wire ranges: HH:MM, start < end, within the day. */
export function cleanRanges(ranges: TimeRange[], path: string): MinuteRange[] {
  const minutes = ranges.map((r, i) => {
    const start = parseTime(r.start_time);
    const end = parseTime(r.end_time);
    if (start >= end || start >= 1440) {
      throw new AppError('invalid_time_range', `Range ${r.start_time}-${r.end_time} must start before it ends, within the day.`, {
        errors: [{ path: `${path}/${i}`, message: 'start_time must be before end_time' }],
      });
    }
    return { start, end };
  });
  return mergeRanges(minutes);
}

function assertMonday(date: string, path: string): void {
  assertDate(date, path);
  if (weekdayOf(date) !== 0) {
    throw new AppError('invalid_date', `${date} is not a Monday; weeks start on Monday.`, { errors: [{ path, message: 'must be a Monday' }] });
  }
}

function dayView(date: string, ranges: MinuteRange[] | undefined) {
  return { date, ranges: toTimeRanges(ranges ?? []) };
}

/** Availability ranges and blackouts, managed by the instructor; every write is one transaction. */
export function availabilityService({ db, availability, bookingTimes, instructorZone, onPublicChange, search }: Deps) {
  /** Active bookings on the dates that no longer fit the availability (reported, never changed). */
  async function bookingsOutside(instructorId: string, timezone: string, dates: string[], tx: Transaction): Promise<BookingTimeRow[]> {
    if (dates.length === 0) return [];
    const sorted = [...dates].sort();
    const first = sorted[0] as string;
    const last = sorted[sorted.length - 1] as string;
    const bookings = await bookingTimes.activeForInstructorOnDates(instructorId, sorted, tx);
    if (bookings.length === 0) return [];
    const ranges = await availability.rangesBetween(instructorId, first, last, tx);
    const blackouts = await availability.blackoutsBetween(instructorId, first, last, tx);
    return bookings.filter((b) => {
      if (blackouts.has(b.date)) return true;
      // Compared as instants: on a DST fall-back day a lesson's local end can read earlier than its start.
      return !fitsAvailability(b.date, ranges.get(b.date) ?? [], timezone, new Date(b.start_at), new Date(b.end_at));
    });
  }

  async function write(instructorId: string, timezone: string, days: Map<string, MinuteRange[]>) {
    const outside = await db.transaction(async (tx) => {
      await availability.lockInstructor(instructorId, tx);
      await availability.replaceDays(instructorId, days, tx);
      await search.datesChanged(tx, instructorId, [...days.keys()]);
      return bookingsOutside(instructorId, timezone, [...days.keys()], tx);
    });
    await onPublicChange(instructorId);
    const sorted = [...days.keys()].sort();
    return { days: sorted.map((d) => dayView(d, days.get(d))), bookings_outside: outside };
  }

  return {
    /** Every date in from..to with its ranges. */
    async getDays(userId: string, from: string, to: string) {
      const timezone = await instructorZone(userId);
      assertDate(from, '/query/from');
      assertDate(to, '/query/to');
      assertDateSpan(from, to, MAX_READ_DAYS, 'An availability read', '/query/to');
      const ranges = await availability.rangesBetween(userId, from, to);
      return { timezone, days: eachDate(from, to).map((d) => dayView(d, ranges.get(d))) };
    },

    /** Saves several days; each replaces that date's ranges. */
    async saveDays(userId: string, days: { date: string; ranges: TimeRange[] }[]) {
      const timezone = await instructorZone(userId);
      const byDate = new Map<string, MinuteRange[]>();
      days.forEach((d, i) => {
        assertDate(d.date, `/body/days/${i}/date`);
        if (byDate.has(d.date)) {
          throw new AppError('validation_error', `${d.date} appears twice; send each date once.`, { errors: [{ path: `/body/days/${i}/date`, message: 'duplicate date' }] });
        }
        byDate.set(d.date, cleanRanges(d.ranges, `/body/days/${i}/ranges`));
      });
      return write(userId, timezone, byDate);
    },

    /** Sets (or, with no ranges, clears) one date. */
    async setDay(userId: string, date: string, ranges: TimeRange[]) {
      const timezone = await instructorZone(userId);
      assertDate(date, '/path/date');
      return write(userId, timezone, new Map([[date, cleanRanges(ranges, '/body/ranges')]]));
    },

    /** Copies the 7 days of one week onto another week, replacing it. */
    async copyWeek(userId: string, sourceWeekStart: string, targetWeekStart: string) {
      const timezone = await instructorZone(userId);
      assertMonday(sourceWeekStart, '/body/source_week_start');
      assertMonday(targetWeekStart, '/body/target_week_start');
      const source = await availability.rangesBetween(userId, sourceWeekStart, addDays(sourceWeekStart, 6));
      const days = new Map<string, MinuteRange[]>();
      for (let i = 0; i < 7; i++) days.set(addDays(targetWeekStart, i), source.get(addDays(sourceWeekStart, i)) ?? []);
      return write(userId, timezone, days);
    },

    /** Repeats a week's pattern (by weekday) over start_date..end_date, replacing those dates. */
    async applyPattern(userId: string, sourceWeekStart: string, startDate: string, endDate: string) {
      const timezone = await instructorZone(userId);
      assertMonday(sourceWeekStart, '/body/source_week_start');
      assertDate(startDate, '/body/start_date');
      assertDate(endDate, '/body/end_date');
      assertDateSpan(startDate, endDate, MAX_PATTERN_DAYS, 'A pattern', '/body/end_date');
      const source = await availability.rangesBetween(userId, sourceWeekStart, addDays(sourceWeekStart, 6));
      const days = new Map<string, MinuteRange[]>();
      for (const date of eachDate(startDate, endDate)) {
        days.set(date, source.get(addDays(sourceWeekStart, weekdayOf(date))) ?? []);
      }
      return write(userId, timezone, days);
    },

    async listBlackouts(userId: string, q: { from?: string; to?: string; limit: number; cursor?: string }) {
      await instructorZone(userId);
      const after = decodeCursor<{ date: string }>(q.cursor, ['date']);
      const rows = await availability.listBlackouts(userId, { from: q.from, to: q.to, after: after?.date, limit: q.limit });
      return pageOf(rows, q.limit, (b) => b, (b) => ({ date: b.date }));
    },

    /** Adds a blackout; adding an existing date again changes nothing (created: false). */
    async addBlackout(userId: string, date: string, reason: string | undefined) {
      const timezone = await instructorZone(userId);
      assertDate(date, '/body/date');
      const result = await db.transaction(async (tx) => {
        await availability.lockInstructor(userId, tx);
        const existing = await availability.findBlackout(userId, date, tx);
        const blackout = existing ?? (await availability.addBlackout(userId, date, reason ?? null, tx));
        if (!existing) await search.datesChanged(tx, userId, [date]);
        return { created: !existing, blackout, bookings_outside: await bookingsOutside(userId, timezone, [date], tx) };
      });
      if (result.created) await onPublicChange(userId);
      return result;
    },

    async removeBlackout(userId: string, date: string) {
      await instructorZone(userId);
      assertDate(date, '/path/date');
      await db.transaction(async (tx) => {
        await availability.removeBlackout(userId, date, tx);
        await search.datesChanged(tx, userId, [date]);
      });
      await onPublicChange(userId);
    },
  };
}

export type AvailabilityService = ReturnType<typeof availabilityService>;
