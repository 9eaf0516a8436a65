import { DateTime } from 'luxon';
import { lessonInstants } from '../availability/public-availability.js';

/** Price in minor units: hourly rate × minutes / 60, rounded half up (documented in openapi.yaml). */
export function lessonPrice(hourlyRate: number, durationMinutes: number): number {
  return Math.round((hourlyRate * durationMinutes) / 60);
}

/** Where a lesson sits in time: UTC instants, the local end time, and the instructor's blocked time. */
export function placeLesson(date: string, startTime: string, durationMinutes: number, timezone: string, bufferMinutes: number) {
  const { start_at, end_at } = lessonInstants(date, startTime, durationMinutes, timezone);
  const end = DateTime.fromJSDate(end_at, { zone: timezone });
  // A lesson ending at midnight ends at 24:00 of its own date.
  const end_time = end.toISODate() === date ? end.toFormat('HH:mm') : '24:00';
  const blocked_until = new Date(end_at.getTime() + bufferMinutes * 60_000);
  return { start_at, end_at, end_time, blocked_until };
}

/** The status changes the lifecycle allows. */
export const TRANSITIONS: Record<string, readonly string[]> = {
  pending: ['confirmed', 'cancelled'],
  confirmed: ['completed', 'no_show', 'cancelled'],
  completed: [],
  cancelled: [],
  no_show: [],
};
