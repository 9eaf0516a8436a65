// @instainstru/sdk/light: the calls a page embedding a booking flow needs (public reads, sign-in, booking; cards in lightPayments), on the SDK's own session,
// retries and errors but without the generated client (a few KB less for browsers; the widget uses it).
// Every path, body and answer is typed from the generated contract types, so a contract change still
// breaks callers at compile time.
import type {
  AuthResult,
  CreateBookingData,
  CreateBookingResponse,
  GetInstructorAvailabilityData,
  GetInstructorAvailabilityResponse,
  GetInstructorResponse,
  LoginData,
  RefreshSessionResponse,
  RegisterData,
} from './generated/types.gen.js';
import { sender, type CallOptions, type Outcome, type Sent } from './call.js';
import { newIdempotencyKey } from './idempotency-key.js';
import { withRetries } from './retry.js';
import { Session, type SessionTokens } from './session.js';
import { observed, type Hooks } from './transport.js';
import { DEFAULT_TIMEOUT_MS } from './defaults.js';

/** Options of {@link createLightClient} (a subset of `createClient`'s). */
export interface LightClientOptions {
  baseUrl: string;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  timeout?: number | undefined;
  retries?: number | undefined;
  maxRetryWaitSeconds?: number | undefined;
  onTokens?: ((tokens: SessionTokens) => void) | undefined;
  hooks?: Hooks | undefined;
}

/** Path parameters, query, body and credentials of one request (see {@link LightClient.call}). */
export interface Parts {
  path?: Record<string, string> | undefined;
  query?: Record<string, string | number | undefined> | undefined;
  body?: unknown;
  /** Sends the session's access token. */
  auth?: boolean;
  headers?: Record<string, string>;
}

/** A small typed client for public reads, sign-in and booking (browsers; see the file's header). */
export function createLightClient(options: LightClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const session = new Session(undefined, options.onTokens);
  const plain = observed(options.fetch ?? ((request: Request) => globalThis.fetch(request)), options.hooks);
  const transport = session.wrap(withRetries(plain, { retries: options.retries ?? 2, maxWaitMs: (options.maxRetryWaitSeconds ?? 10) * 1000 }));
  const send = sender(options.headers, options.timeout ?? DEFAULT_TIMEOUT_MS);

  async function request<T>(method: string, url: string, parts: Parts, sent: Sent): Promise<Outcome<T>> {
    const path = url.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(parts.path?.[k] ?? ''));
    const query = new URLSearchParams(Object.entries(parts.query ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
    const headers = new Headers({ ...sent.headers, ...parts.headers });
    if (parts.body !== undefined) headers.set('content-type', 'application/json');
    if (parts.auth && session.accessToken) headers.set('authorization', `Bearer ${session.accessToken}`);
    const req = new Request(`${base}${path}${query.size ? `?${query}` : ''}`, { method, headers, signal: sent.signal, body: parts.body === undefined ? null : JSON.stringify(parts.body) });
    let response: Response;
    try {
      response = await transport(req);
    } catch (error) {
      return { error, request: req };
    }
    const text = response.status === 204 ? '' : await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: unwrap reports it
    }
    return response.ok ? { data: parsed as T, request: req, response } : { error: parsed, request: req, response };
  }
  const adopt = (answer: AuthResult) => (session.adopt(answer), answer);
  session.refresher = (refresh_token, signal) => send(signal ? { signal } : undefined, (s) => request<RefreshSessionResponse>('POST', '/v1/auth/refresh', { body: { refresh_token } }, s));

  return {
    /** One request, answered as the other methods are (the add-on groups such as {@link lightPayments} use it). */
    call: <T>(method: string, url: string, parts: Parts, o?: CallOptions) => send(o, (s) => request<T>(method, url, parts, s)),
    instructors: {
      /** A published instructor with their active services. */
      get: ({ instructor_id }: { instructor_id: string }, o?: CallOptions) => send(o, (s) => request<GetInstructorResponse>('GET', '/v1/instructors/{instructor_id}', { path: { instructor_id } }, s)),
      /** Bookable time per date; with `duration_minutes`, also the free `start_times`. */
      availability: ({ instructor_id, ...query }: GetInstructorAvailabilityData['path'] & GetInstructorAvailabilityData['query'], o?: CallOptions) =>
        send(o, (s) => request<GetInstructorAvailabilityResponse>('GET', '/v1/instructors/{instructor_id}/availability', { path: { instructor_id }, query }, s)),
    },
    auth: {
      /** Logs in; the client then acts as this user (and renews the session by itself). */
      login: (body: LoginData['body'], o?: CallOptions) => send(o, (s) => request<AuthResult>('POST', '/v1/auth/login', { body }, s)).then(adopt),
      /** Creates an account; the client then acts as it. */
      register: (body: RegisterData['body'], o?: CallOptions) => send(o, (s) => request<AuthResult>('POST', '/v1/auth/register', { body }, s)).then(adopt),
    },
    bookings: {
      /** Books a lesson with an `Idempotency-Key` (a new UUID unless given), so a retry never books twice. */
      create: ({ idempotency_key, ...body }: CreateBookingData['body'] & { idempotency_key?: string }, o?: CallOptions) => {
        const key = idempotency_key ?? newIdempotencyKey();
        return send(o, (s) => request<CreateBookingResponse>('POST', '/v1/bookings', { body, auth: true, headers: { 'Idempotency-Key': key } }, s));
      },
    },
  };
}

/** A client returned by {@link createLightClient}. */
export type LightClient = ReturnType<typeof createLightClient>;

export { lightPayments } from './light-payments.js';
