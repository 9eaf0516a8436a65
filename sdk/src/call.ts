import { InstaInstruError } from './error.js';
import { newIdempotencyKey } from './idempotency-key.js';
import type { Call } from './request.js';
import { parseRetryAfter } from './retry.js';
import type { Session } from './session.js';
import { CallTimeout } from './transport.js';

/** Options of one call, the last argument of every method. */
export interface CallOptions {
  /** Aborts the call; it then rejects with the signal's reason (as fetch does). */
  signal?: AbortSignal;
  /** Milliseconds this call may take, retries included (default: the client's `timeout`). */
  timeout?: number;
  /** Extra headers for this call only. */
  headers?: Record<string, string>;
}

/** What the generated operations get from a call's options. */
export interface Sent {
  signal: AbortSignal;
  headers: Record<string, string>;
}

/** Runs one generated operation with the call's signal, deadline and headers; returns its data or throws. */
export type Send = <T>(options: CallOptions | undefined, operation: (sent: Sent) => Promise<Outcome<T>>) => Promise<Exclude<T, undefined>>;

/** What every method group needs. */
export interface Context {
  session: Session;
  call: Call;
}

type Part<T> = [NonNullable<T>] extends [never] ? unknown : NonNullable<T>;

/** The path, query and body of a generated operation merged into one plain object. */
export type Params<D extends { path?: unknown; query?: unknown; body?: unknown }> = Part<D['path']> & Part<D['query']> & Part<D['body']>;

export interface Outcome<T> {
  data?: T;
  error?: unknown;
  request: Request;
  response?: Response;
}

/** Builds `Context.send` for a client whose calls last at most `defaultTimeout` ms. */
export function sender(defaultHeaders: Record<string, string> | undefined, defaultTimeout: number): Send {
  return async (options, operation) => {
    const timeout = options?.timeout ?? defaultTimeout;
    const deadline = new AbortController();
    // A timer, not AbortSignal.timeout: its reason must say "timeout", and it is cleared as soon as the call ends.
    const timer = timeout > 0 && Number.isFinite(timeout) ? setTimeout(() => deadline.abort(new CallTimeout(timeout)), timeout) : undefined;
    const signal = options?.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
    const headers = { ...defaultHeaders, ...options?.headers };
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'x-request-id')) headers['X-Request-Id'] = newIdempotencyKey();
    try {
      options?.signal?.throwIfAborted();
      return await unwrap(operation({ signal, headers }));
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Awaits a generated call and returns its data, throwing InstaInstruError on any non-2xx or non-JSON answer. */
export async function unwrap<T>(pending: Promise<Outcome<T>>): Promise<Exclude<T, undefined>> {
  const { data, error, request, response } = await pending;
  // No response means fetch itself failed: the transport already made that an InstaInstruError (or it is the caller's abort).
  if (!response) throw error;
  const info = { requestId: response.headers.get('x-request-id') ?? request.headers.get('x-request-id') ?? undefined, method: request.method, url: request.url };
  if (!response.ok) throw new InstaInstruError(response.status, error, secondsToRetry(response), info);
  if (response.status === 204) return undefined as Exclude<T, undefined>;
  const type = response.headers.get('content-type') ?? '';
  if (!/\bjson\b/i.test(type)) {
    // E.g. a web page at the configured URL: not the API.
    const detail = `${new URL(request.url).origin} answered ${type.split(';')[0] || 'without a content type'}, not JSON: is this the InstaInstru API?`;
    throw new InstaInstruError(response.status, { code: 'unexpected_response', title: 'Not an API answer', detail }, undefined, info);
  }
  return data as Exclude<T, undefined>;
}

function secondsToRetry(response: Response): number | undefined {
  const ms = parseRetryAfter(response.headers.get('retry-after'));
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}
