import type { Transaction } from 'sequelize';
import { AppError } from '../platform/errors.js';
import type { Clock } from '../platform/clock.js';
import { fitsAvailability } from '../availability/fit.js';
import { GRID_MINUTES, wallClockExists } from '../availability/public-availability.js';
import { parseTime } from '../availability/ranges.js';
import type { ProfileRow, ServiceRow } from '../instructors/repository.js';
import type { BookingRepository } from './repository.js';
import { placeLesson } from './rules.js';
import { claimsOf } from './busy.js';

export interface LessonRequest {
  date: string;
  start_time: string;
  duration_minutes: number;
  location_type: string;
}

type Placed = ReturnType<typeof placeLesson>;

const window = (b: { start_at: string; end_at: string }) => ({ start_at: b.start_at, end_at: b.end_at });

/**
 * The local start must exist that day (not in a DST gap) and lie on the grid public availability
 * offers, so the stored local time always reads back as the booked instant. Every local booking
 * time (create and reschedule) passes here.
 */
function assertStartTime(req: LessonRequest, timezone: string): void {
  const minutes = parseTime(req.start_time);
  const field = (message: string) => ({ errors: [{ path: '/body/start_time', message }] });
  if (!wallClockExists(req.date, minutes, timezone)) {
    throw new AppError('nonexistent_time', `${req.start_time} does not exist on ${req.date} in ${timezone}: the clocks skip it for daylight saving time. Pick a time outside the gap.`, field('does not exist on that date (DST gap)'));
  }
  if (minutes % GRID_MINUTES !== 0) {
    throw new AppError('invalid_start_time', `Lessons start on the quarter hour (:00, :15, :30, :45); ${req.start_time} is not one. See GET /v1/instructors/{id}/availability for free start times.`, field(`must be on the ${GRID_MINUTES}-minute grid`));
  }
}

/**
 * Every booking rule, in the documented order, inside the caller's transaction:
 * nonexistent_time, invalid_start_time, in_past, too_soon, service_inactive / invalid_duration /
 * invalid_location_type, too_many_bookings (new bookings only: `bookingLimit`), blackout,
 * outside_availability, instructor_conflict, student_conflict. `excludeId` ignores the booking
 * being rescheduled.
 */
export async function checkLesson(
  deps: { clock: Clock; bookings: BookingRepository },
  ctx: { profile: ProfileRow; service: ServiceRow; studentId: string; excludeId: string | null; bookingLimit?: number },
  req: LessonRequest,
  tx: Transaction,
): Promise<Placed> {
  const { profile, service } = ctx;
  assertStartTime(req, profile.timezone);
  const placed = placeLesson(req.date, req.start_time, req.duration_minutes, profile.timezone, profile.buffer_minutes);
  const now = deps.clock.now();
  if (placed.start_at < now) throw new AppError('in_past', 'This time has already passed. Pick a time in the future.');
  const earliest = new Date(now.getTime() + profile.min_advance_hours * 3_600_000);
  if (placed.start_at < earliest) {
    throw new AppError('too_soon', `This instructor needs at least ${profile.min_advance_hours} hours' notice. Pick a time after ${earliest.toISOString()}.`);
  }
  if (!service.active) throw new AppError('service_inactive', 'This service is no longer offered. Pick another of the instructor\'s services.');
  if (!service.durations.includes(req.duration_minutes)) {
    throw new AppError('invalid_duration', `This service offers ${service.durations.join(', ')} minute lessons. Pick one of those durations.`);
  }
  if (!service.location_types.includes(req.location_type)) {
    throw new AppError('invalid_location_type', `This service is offered ${service.location_types.join(', ')}. Pick one of those.`);
  }
  // One rule per person, whatever role they have in the other booking: the code names their role in this one.
  const claims = claimsOf({ instructor_id: profile.user_id, student_id: ctx.studentId, ...placed });
  // Everything the remaining rules need, in one query (the caller holds the instructor's lock).
  const context = await deps.bookings.lessonContext(
    { instructorId: profile.user_id, date: req.date, claims, excludeId: ctx.excludeId, ...(ctx.bookingLimit !== undefined ? { countFor: { studentId: ctx.studentId, now } } : {}) },
    tx,
  );
  if (ctx.bookingLimit !== undefined && context.held >= ctx.bookingLimit) {
    // Race-free: the caller holds the instructor's lock (PostgreSQL), and SQLite writes take turns.
    throw new AppError('too_many_bookings', `You already hold ${context.held} upcoming lessons with this instructor, the most a student may hold (${ctx.bookingLimit}). Take or cancel one before booking another.`);
  }
  if (context.blackout) throw new AppError('blackout', `The instructor is not available on ${req.date}. Pick another date.`);
  if (!fitsAvailability(req.date, context.ranges, profile.timezone, placed.start_at, placed.end_at)) {
    throw new AppError('outside_availability', 'The lesson does not fit in the instructor\'s available time that day. See GET /v1/instructors/{id}/availability for free start times.');
  }
  const busy = context.conflict;
  if (busy?.role === 'instructor') {
    const buffer = profile.buffer_minutes > 0 ? ` (and keeps ${profile.buffer_minutes} minutes free after each lesson they teach)` : '';
    throw new AppError('instructor_conflict', `The instructor is already busy from ${busy.start_at} to ${busy.end_at}${buffer}. Pick another time.`, { conflict: window(busy) });
  }
  if (busy) {
    throw new AppError('student_conflict', `The student already has a lesson from ${busy.start_at} to ${busy.end_at}. Pick a time that does not overlap it.`, { conflict: window(busy) });
  }
  return placed;
}
