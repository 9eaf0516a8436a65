import * as api from '../generated/sdk.gen.js';
import type {
  CancelBookingData,
  CompleteBookingData,
  CreateBookingData,
  GetBookingData,
  GetInstructorAvailabilityData,
  GetInstructorData,
  ListBookingsData,
  MarkBookingNoShowData,
  RescheduleBookingData,
  SearchInstructorsData,
} from '../generated/types.gen.js';
import { unwrap, type Context, type Params } from '../call.js';
import { newIdempotencyKey } from '../idempotency-key.js';

/** Public instructor search, detail and bookable availability. */
export function instructorsMethods({ client }: Context) {
  return {
    /** One page of published instructors matching the filters. */
    search: (query: Params<SearchInstructorsData> = {}) => unwrap(api.searchInstructors({ client, query })),
    /** A published instructor with their active services. */
    get: ({ instructor_id }: Params<GetInstructorData>) => unwrap(api.getInstructor({ client, path: { instructor_id } })),
    /** Bookable time per date; with `duration_minutes`, also the free `start_times`. */
    availability: ({ instructor_id, ...query }: Params<GetInstructorAvailabilityData>) =>
      unwrap(api.getInstructorAvailability({ client, path: { instructor_id }, query })),
  };
}

/** Booking lessons and managing their lifecycle. */
export function bookingsMethods({ client }: Context) {
  return {
    /**
     * Books a lesson. Sends an `Idempotency-Key` (a new UUID unless given), reused on automatic retries,
     * so a retried request never books twice.
     */
    create: ({ idempotency_key, ...body }: Params<CreateBookingData> & { idempotency_key?: string }) =>
      unwrap(api.createBooking({ client, body, headers: { 'Idempotency-Key': idempotency_key ?? newIdempotencyKey() } })),
    /** One page of the caller's bookings, ordered by start. */
    list: (query: Params<ListBookingsData> = {}) => unwrap(api.listBookings({ client, query })),
    /** One booking the caller takes part in. */
    get: ({ booking_id }: Params<GetBookingData>) => unwrap(api.getBooking({ client, path: { booking_id } })),
    /** Cancels a pending or confirmed booking, with an optional reason. */
    cancel: ({ booking_id, ...body }: Params<CancelBookingData>) =>
      unwrap(api.cancelBooking({ client, path: { booking_id }, ...(Object.keys(body).length > 0 ? { body } : {}) })),
    /** Moves an active booking to a new date/start time (and optionally duration). */
    reschedule: ({ booking_id, ...body }: Params<RescheduleBookingData>) => unwrap(api.rescheduleBooking({ client, path: { booking_id }, body })),
    /** Instructor: marks a confirmed lesson as completed. */
    complete: ({ booking_id }: Params<CompleteBookingData>) => unwrap(api.completeBooking({ client, path: { booking_id } })),
    /** Instructor: marks a confirmed lesson the student missed. */
    noShow: ({ booking_id }: Params<MarkBookingNoShowData>) => unwrap(api.markBookingNoShow({ client, path: { booking_id } })),
  };
}

/** Liveness and readiness of the API. */
export function healthMethods({ client, fetchOnce }: Context) {
  return {
    /** Liveness: the process answers. */
    check: () => unwrap(api.healthz({ client })),
    /** Readiness: database (and Redis) reachable; a 503 is thrown at once, never retried. */
    ready: () => unwrap(api.readyz({ client, fetch: fetchOnce })),
  };
}
