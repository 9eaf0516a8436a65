// @instainstru/sdk/light: the calls a page embedding a booking flow needs (public reads, sign-in, booking; cards in lightPayments), on the SDK's own session,
// retries and errors, without the method groups a booking page never calls (a few KB less for browsers; the widget uses it).
// Every path, body and answer is typed from the generated contract types, so a contract change still
// breaks callers at compile time.
import type {
  AuthResult,
  CreateBookingData,
  CreateBookingResponse,
  GetInstructorAvailabilityData,
  GetInstructorAvailabilityResponse,
  GetInstructorData,
  GetInstructorResponse,
  LoginData,
  RefreshSessionData,
  RefreshSessionResponse,
  RegisterData,
} from './generated/types.gen.js';
import type { CallOptions } from './call.js';
import { caller, type TransportOptions } from './request.js';
import { newIdempotencyKey } from './idempotency-key.js';
import { Session, type SessionTokens } from './session.js';

/** Options of {@link createLightClient} (a subset of `createClient`'s). */
export interface LightClientOptions extends TransportOptions {
  onTokens?: ((tokens: SessionTokens) => void) | undefined;
}

/** A small typed client for public reads, sign-in and booking (browsers; see the file's header). */
export function createLightClient(options: LightClientOptions) {
  const session = new Session(undefined, options.onTokens);
  const call = caller(options, session);
  const adopt = (answer: AuthResult) => (session.adopt(answer), answer);
  session.refresher = (refresh_token, signal) => call<RefreshSessionData, RefreshSessionResponse>('POST', '/v1/auth/refresh', { body: { refresh_token } }, signal ? { signal } : undefined);

  return {
    /** One request, answered as the other methods are (the add-on groups such as {@link lightPayments} use it). */
    call,
    instructors: {
      /** A published instructor with their active services. */
      get: ({ instructor_id }: GetInstructorData['path'], o?: CallOptions) => call<GetInstructorData, GetInstructorResponse>('GET', '/v1/instructors/{instructor_id}', { path: { instructor_id } }, o),
      /** Bookable time per date; with `duration_minutes`, also the free `start_times`. */
      availability: ({ instructor_id, ...query }: GetInstructorAvailabilityData['path'] & GetInstructorAvailabilityData['query'], o?: CallOptions) =>
        call<GetInstructorAvailabilityData, GetInstructorAvailabilityResponse>('GET', '/v1/instructors/{instructor_id}/availability', { path: { instructor_id }, query }, o),
    },
    auth: {
      /** Logs in; the client then acts as this user (and renews the session by itself). */
      login: (body: LoginData['body'], o?: CallOptions) => call<LoginData, AuthResult>('POST', '/v1/auth/login', { body }, o).then(adopt),
      /** Creates an account; the client then acts as it. */
      register: (body: RegisterData['body'], o?: CallOptions) => call<RegisterData, AuthResult>('POST', '/v1/auth/register', { body }, o).then(adopt),
    },
    bookings: {
      /** Books a lesson with an `Idempotency-Key` (a new UUID unless given), so a retry never books twice. */
      create: ({ idempotency_key, ...body }: CreateBookingData['body'] & { idempotency_key?: string }, o?: CallOptions) => {
        const key = idempotency_key ?? newIdempotencyKey();
        return call<CreateBookingData, CreateBookingResponse>('POST', '/v1/bookings', { body, auth: true, headers: { 'Idempotency-Key': key } }, o);
      },
    },
  };
}

/** A client returned by {@link createLightClient}. */
export type LightClient = ReturnType<typeof createLightClient>;

export { lightPayments } from './light-payments.js';
