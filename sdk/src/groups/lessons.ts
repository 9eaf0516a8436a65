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
import type { CallOptions, Context, Params } from '../call.js';
import { newIdempotencyKey } from '../idempotency-key.js';

/** Public instructor search, detail and bookable availability. */
export function instructorsMethods({ client, send }: Context) {
  return {
    /** One page of published instructors matching the filters. */
    search: (query: Params<SearchInstructorsData> = {}, options?: CallOptions) => send(options, (o) => api.searchInstructors({ client, query, ...o })),
    /** A published instructor with their active services. */
    get: ({ instructor_id }: Params<GetInstructorData>, options?: CallOptions) => send(options, (o) => api.getInstructor({ client, path: { instructor_id }, ...o })),
    /** Bookable time per date; with `duration_minutes`, also the free `start_times`. */
    availability: ({ instructor_id, ...query }: Params<GetInstructorAvailabilityData>, options?: CallOptions) =>
      send(options, (o) => api.getInstructorAvailability({ client, path: { instructor_id }, query, ...o })),
  };
}

/** Booking lessons and managing their lifecycle. */
export function bookingsMethods({ client, send }: Context) {
  return {
    /**
     * Books a lesson. Sends an `Idempotency-Key` (a new UUID unless given), reused on automatic retries,
     * so a retried request never books twice.
     */
    create: ({ idempotency_key, ...body }: Params<CreateBookingData> & { idempotency_key?: string }, options?: CallOptions) => {
      const key = idempotency_key ?? newIdempotencyKey();
      return send(options, (o) => api.createBooking({ client, body, ...o, headers: { ...o.headers, 'Idempotency-Key': key } }));
    },
    /** One page of the caller's bookings, ordered by start. */
    list: (query: Params<ListBookingsData> = {}, options?: CallOptions) => send(options, (o) => api.listBookings({ client, query, ...o })),
    /** One booking the caller takes part in. */
    get: ({ booking_id }: Params<GetBookingData>, options?: CallOptions) => send(options, (o) => api.getBooking({ client, path: { booking_id }, ...o })),
    /** Cancels a pending or confirmed booking, with an optional reason. */
    cancel: ({ booking_id, ...body }: Params<CancelBookingData>, options?: CallOptions) =>
      send(options, (o) => api.cancelBooking({ client, path: { booking_id }, ...(Object.keys(body).length > 0 ? { body } : {}), ...o })),
    /** Moves an active booking to a new date/start time (and optionally duration). */
    reschedule: ({ booking_id, ...body }: Params<RescheduleBookingData>, options?: CallOptions) => send(options, (o) => api.rescheduleBooking({ client, path: { booking_id }, body, ...o })),
    /** Instructor: marks a confirmed lesson as completed. */
    complete: ({ booking_id }: Params<CompleteBookingData>, options?: CallOptions) => send(options, (o) => api.completeBooking({ client, path: { booking_id }, ...o })),
    /** Instructor: marks a confirmed lesson the student missed. */
    noShow: ({ booking_id }: Params<MarkBookingNoShowData>, options?: CallOptions) => send(options, (o) => api.markBookingNoShow({ client, path: { booking_id }, ...o })),
  };
}

/** Liveness and readiness of the API. */
export function healthMethods({ client, send, fetchOnce }: Context) {
  return {
    /** Liveness: the process answers. */
    check: (options?: CallOptions) => send(options, (o) => api.healthz({ client, ...o })),
    /** Readiness: database (and Redis) reachable; a 503 is thrown at once, never retried. */
    ready: (options?: CallOptions) => send(options, (o) => api.readyz({ client, fetch: fetchOnce, ...o })),
  };
}
