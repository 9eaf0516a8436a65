import type {
  CancelBookingData,
  CancelBookingResponse,
  CompleteBookingData,
  CompleteBookingResponse,
  CreateBookingData,
  CreateBookingResponse,
  GetBookingData,
  GetBookingResponse,
  GetInstructorAvailabilityData,
  GetInstructorAvailabilityResponse,
  GetInstructorData,
  GetInstructorResponse,
  HealthzData,
  HealthzResponse,
  ListBookingsData,
  ListBookingsResponse,
  MarkBookingNoShowData,
  MarkBookingNoShowResponse,
  ReadyzData,
  ReadyzResponse,
  RescheduleBookingData,
  RescheduleBookingResponse,
  SearchInstructorsData,
  SearchInstructorsResponse,
} from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';
import { newIdempotencyKey } from '../idempotency-key.js';

/** Public instructor search, detail and bookable availability. */
export function instructorsMethods({ call }: Context) {
  return {
    /** One page of published instructors matching the filters. */
    search: (query: Params<SearchInstructorsData> = {}, options?: CallOptions) => call<SearchInstructorsData, SearchInstructorsResponse>('GET', '/v1/instructors', { query }, options),
    /** A published instructor with their active services. */
    get: ({ instructor_id }: Params<GetInstructorData>, options?: CallOptions) => call<GetInstructorData, GetInstructorResponse>('GET', '/v1/instructors/{instructor_id}', { path: { instructor_id } }, options),
    /** Bookable time per date; with `duration_minutes`, also the free `start_times`. */
    availability: ({ instructor_id, ...query }: Params<GetInstructorAvailabilityData>, options?: CallOptions) =>
      call<GetInstructorAvailabilityData, GetInstructorAvailabilityResponse>('GET', '/v1/instructors/{instructor_id}/availability', { path: { instructor_id }, query }, options),
  };
}

/** Booking lessons and managing their lifecycle. */
export function bookingsMethods({ call }: Context) {
  return {
    /**
     * Books a lesson. Sends an `Idempotency-Key` (a new UUID unless given), reused on automatic retries,
     * so a retried request never books twice.
     */
    create: ({ idempotency_key, ...body }: Params<CreateBookingData> & { idempotency_key?: string }, options?: CallOptions) => {
      const key = idempotency_key ?? newIdempotencyKey();
      return call<CreateBookingData, CreateBookingResponse>('POST', '/v1/bookings', { body, headers: { 'Idempotency-Key': key } }, options);
    },
    /** One page of the caller's bookings, ordered by start. */
    list: (query: Params<ListBookingsData> = {}, options?: CallOptions) => call<ListBookingsData, ListBookingsResponse>('GET', '/v1/bookings', { query }, options),
    /** One booking the caller takes part in. */
    get: ({ booking_id }: Params<GetBookingData>, options?: CallOptions) => call<GetBookingData, GetBookingResponse>('GET', '/v1/bookings/{booking_id}', { path: { booking_id } }, options),
    /** Cancels a pending or confirmed booking, with an optional reason. */
    cancel: ({ booking_id, ...body }: Params<CancelBookingData>, options?: CallOptions) =>
      call<CancelBookingData, CancelBookingResponse>('POST', '/v1/bookings/{booking_id}/cancel', { path: { booking_id }, ...(Object.keys(body).length > 0 ? { body } : {}) }, options),
    /** Moves an active booking to a new date/start time (and optionally duration). */
    reschedule: ({ booking_id, ...body }: Params<RescheduleBookingData>, options?: CallOptions) => call<RescheduleBookingData, RescheduleBookingResponse>('POST', '/v1/bookings/{booking_id}/reschedule', { path: { booking_id }, body }, options),
    /** Instructor: marks a confirmed lesson as completed. */
    complete: ({ booking_id }: Params<CompleteBookingData>, options?: CallOptions) => call<CompleteBookingData, CompleteBookingResponse>('POST', '/v1/bookings/{booking_id}/complete', { path: { booking_id } }, options),
    /** Instructor: marks a confirmed lesson the student missed. */
    noShow: ({ booking_id }: Params<MarkBookingNoShowData>, options?: CallOptions) => call<MarkBookingNoShowData, MarkBookingNoShowResponse>('POST', '/v1/bookings/{booking_id}/no-show', { path: { booking_id } }, options),
  };
}

/** Liveness and readiness of the API. */
export function healthMethods({ call }: Context) {
  return {
    /** Liveness: the process answers. */
    check: (options?: CallOptions) => call<HealthzData, HealthzResponse>('GET', '/healthz', { auth: false }, options),
    /** Readiness: database (and Redis) reachable; a 503 is thrown at once, never retried. */
    ready: (options?: CallOptions) => call<ReadyzData, ReadyzResponse>('GET', '/readyz', { once: true, auth: false }, options),
  };
}
