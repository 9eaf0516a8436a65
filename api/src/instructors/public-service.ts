import { DEFAULT_CANCELLATION_POLICY } from '../payments/policy.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { decodeCursor, encodeCursor } from '../platform/pagination.js';
import { addDays, assertDate, assertDateSpan } from '../platform/time.js';
import type { BookingTimeRepository } from '../bookings/repository.js';
import type { AvailabilityRepository } from '../availability/repository.js';
import { computePublicAvailability, localToInstant } from '../availability/public-availability.js';
import { toTimeRanges } from '../availability/ranges.js';
import type { AccountRepository } from '../accounts/repository.js';
import type { InstructorRepository, ProfileRow, ServiceRow } from './repository.js';
import type { SearchFilters, SearchHit, SearchRepository } from './search-repository.js';
import { serviceView } from './service.js';

const MAX_PUBLIC_DAYS = 90;
const GRID_MS = 15 * 60_000;

/**
 * Public answers are computed as of the next 15-minute boundary: they stay the same for the
 * whole 15 minutes (so they can be cached) and never offer a time that is already too soon.
 */
export function publicNow(now: Date): { bucket: number; at: Date } {
  const bucket = Math.ceil(now.getTime() / GRID_MS);
  return { bucket, at: new Date(bucket * GRID_MS) };
}

interface Deps {
  instructors: InstructorRepository;
  accounts: AccountRepository;
  search: SearchRepository;
  availability: AvailabilityRepository;
  bookingTimes: BookingTimeRepository;
  clock: Clock;
  /** Brings next_free_date up to `at` (time passing), at most once per public 15-minute bucket. */
  freshIndex(at: number): Promise<void>;
}

function summary(hit: SearchHit, services: ServiceRow[]) {
  const cheapest = services.reduce<ServiceRow | undefined>((min, s) => (!min || s.hourly_rate < min.hourly_rate ? s : min), undefined);
  return {
    id: hit.id,
    full_name: hit.full_name,
    bio: hit.bio,
    timezone: hit.timezone,
    service_areas: hit.service_areas,
    skills: [...new Set(services.map((s) => s.skill))],
    location_types: [...new Set(services.flatMap((s) => s.location_types))],
    min_hourly_rate: { amount: cheapest?.hourly_rate ?? 0, currency: cheapest?.currency ?? 'EUR' },
  };
}

/** What anyone may see: search, instructor detail and free time. */
export function publicInstructorService({ instructors, accounts, search, availability, bookingTimes, clock, freshIndex }: Deps) {
  /** A published instructor with an active service, or 404. */
  async function publicInstructor(id: string): Promise<{ profile: ProfileRow; services: ServiceRow[] }> {
    const profile = await instructors.findProfile(id);
    const services = profile?.published ? await instructors.listServices(id, { activeOnly: true }) : [];
    if (!profile || services.length === 0) throw new AppError('not_found', 'No such instructor. Find instructors with GET /v1/instructors.');
    return { profile, services };
  }

  /** Free time of a published instructor from..to (local dates), optionally with start times for a duration. */
  async function freeTime(profile: ProfileRow, from: string, to: string, durationMinutes?: number) {
    const periodStart = localToInstant(from, 0, profile.timezone);
    const periodEnd = localToInstant(addDays(to, 1), 0, profile.timezone);
    const buffer = profile.buffer_minutes * 60_000;
    const [ranges, blackouts, bookings] = await Promise.all([
      availability.rangesBetween(profile.user_id, from, to),
      availability.blackoutsBetween(profile.user_id, from, to),
      bookingTimes.heldTimeBetween(profile.user_id, new Date(periodStart.getTime() - buffer), new Date(periodEnd.getTime() + buffer)),
    ]);
    return computePublicAvailability({
      timezone: profile.timezone,
      from,
      to,
      ranges: new Map([...ranges].map(([d, r]) => [d, toTimeRanges(r)])),
      blackouts,
      // Each held time runs to its stored busy_until (a lesson she teaches: its end plus the buffer when
      // it was made; one she learns: its end), exactly what the booking check compares; the computation
      // adds today's buffer on both sides, so a new lesson keeps its buffer before any of them.
      bookings: bookings.map((b) => ({ start_at: b.start_at, end_at: new Date(b.busy_until.getTime() - buffer) })),
      bufferMinutes: profile.buffer_minutes,
      notBefore: new Date(publicNow(clock.now()).at.getTime() + profile.min_advance_hours * 3_600_000),
      durationMinutes,
    });
  }

  return {
    /** Searches published instructors; `available_on` keeps those with room for a lesson of an offered duration that date. */
    async search(f: Omit<SearchFilters, 'at'> & { limit: number; cursor?: string }) {
      if (f.available_on) assertDate(f.available_on, '/query/available_on');
      if (f.min_price !== undefined && f.max_price !== undefined && f.min_price > f.max_price) {
        throw new AppError('validation_error', 'min_price must not be above max_price.', { errors: [{ path: '/query/min_price', message: 'must be <= max_price' }] });
      }
      const offset = decodeCursor<{ o: number }>(f.cursor, ['o'])?.o ?? 0;
      const at = publicNow(clock.now()).at.getTime();
      await freshIndex(at);
      const hits = await search.search({ ...f, at }, offset, f.limit + 1);
      const more = hits.length > f.limit;
      const page = more ? hits.slice(0, f.limit) : hits;
      const services = await search.activeServicesOf(page.map((h) => h.id));
      return {
        data: page.map((h) => summary(h, services.get(h.id) ?? [])),
        next_cursor: more ? encodeCursor({ o: offset + f.limit }) : null,
      };
    },

    /** A public instructor with their active services. */
    async detail(id: string) {
      const { profile, services } = await publicInstructor(id);
      const user = await accounts.findUserById(id);
      return {
        id,
        full_name: user?.full_name ?? '',
        bio: profile.bio,
        timezone: profile.timezone,
        min_advance_hours: profile.min_advance_hours,
        buffer_minutes: profile.buffer_minutes,
        service_areas: profile.service_areas,
        // Shown before booking (the widget's confirmation step), so a student knows what cancelling costs.
        cancellation_policy: profile.cancellation_policy ?? [...DEFAULT_CANCELLATION_POLICY],
        services: services.map(serviceView),
      };
    },

    /** Public availability for at most 90 days. */
    async availability(id: string, from: string, to: string, durationMinutes?: number) {
      assertDate(from, '/query/from');
      assertDate(to, '/query/to');
      assertDateSpan(from, to, MAX_PUBLIC_DAYS, 'Public availability', '/query/to');
      const { profile, services } = await publicInstructor(id);
      if (durationMinutes !== undefined && !services.some((s) => s.durations.includes(durationMinutes))) {
        const offered = [...new Set(services.flatMap((s) => s.durations))].sort((a, b) => a - b);
        throw new AppError('invalid_duration', `This instructor offers ${offered.join(', ')} minute lessons. Ask for one of those durations.`, {
          errors: [{ path: '/query/duration_minutes', message: `must be one of ${offered.join(', ')}` }],
        });
      }
      const days = await freeTime(profile, from, to, durationMinutes);
      return { instructor_id: id, timezone: profile.timezone, days };
    },
  };
}

export type PublicInstructorService = ReturnType<typeof publicInstructorService>;
