import type { ApiKey, Booking, InstructorProfile, Service } from '@instainstru/sdk';
import { formatMoney } from './money.js';
import { details, table } from './table.js';

/** The instructor profile as label/value lines. */
export function profileDetails(profile: InstructorProfile): string {
  return details([
    ['Published', profile.published ? 'yes' : 'no'],
    ['Timezone', profile.timezone],
    ['Notice', `${profile.min_advance_hours} h`],
    ['Buffer', `${profile.buffer_minutes} min`],
    ['Areas', profile.service_areas.join(', ') || '-'],
    ['Bio', profile.bio || '-'],
  ]);
}

/** Services as a table. */
export function servicesTable(services: readonly Service[]): string {
  return table(services, [
    { heading: 'id', value: (s) => s.id },
    { heading: 'skill', value: (s) => s.skill },
    { heading: 'rate/h', value: (s) => formatMoney({ amount: s.hourly_rate, currency: s.currency }) },
    { heading: 'durations', value: (s) => s.durations.join(',') },
    { heading: 'locations', value: (s) => s.location_types.join(',') },
    { heading: 'active', value: (s) => (s.active ? 'yes' : 'no') },
  ]);
}

/** Bookings as a table; `role` picks whether the other person is the student or the instructor. */
export function bookingsTable(bookings: readonly Booking[]): string {
  return table(bookings, [
    { heading: 'id', value: (b) => b.id },
    { heading: 'date', value: (b) => b.date },
    { heading: 'time', value: (b) => `${b.start_time}-${b.end_time}` },
    { heading: 'skill', value: (b) => b.skill },
    { heading: 'student', value: (b) => b.student.full_name },
    { heading: 'instructor', value: (b) => b.instructor.full_name },
    { heading: 'status', value: (b) => b.status },
    { heading: 'price', value: (b) => formatMoney(b.price) },
  ]);
}

/** One booking as label/value lines. */
export function bookingDetails(b: Booking): string {
  return details([
    ['Id', b.id],
    ['Status', b.status],
    ['When', `${b.date} ${b.start_time}-${b.end_time} (${b.timezone}), ${b.duration_minutes} min`],
    ['Lesson', `${b.skill}, ${b.location_type}`],
    ['Instructor', b.instructor.full_name],
    ['Student', b.student.full_name],
    ['Price', `${formatMoney(b.price)} (payment ${b.payment_status})`],
    ['Note', b.note ?? '-'],
    ...(b.cancelled_at ? ([['Cancelled', `${b.cancelled_at} by ${b.cancelled_by ?? '?'}${b.cancellation_reason ? `: ${b.cancellation_reason}` : ''}`]] as [string, string][]) : []),
  ]);
}

/** API keys as a table (prefixes only: the secret is never shown again). */
export function keysTable(keys: readonly ApiKey[]): string {
  return table(keys, [
    { heading: 'id', value: (k) => k.id },
    { heading: 'name', value: (k) => k.name },
    { heading: 'type', value: (k) => k.type },
    { heading: 'prefix', value: (k) => `${k.prefix}…` },
    { heading: 'origins', value: (k) => k.allowed_origins.join(',') || '-' },
    { heading: 'last used', value: (k) => k.last_used_at ?? 'never' },
  ]);
}
