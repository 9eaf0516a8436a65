import type { ConflictWindow, ErrorCode, FieldError } from './generated/types.gen.js';

/** Codes for answers whose body is not a problem document (a proxy page, a readiness report). */
const FALLBACK_CODES: Record<number, ErrorCode> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
  503: 'service_unavailable',
};

interface ProblemLike {
  type?: unknown;
  title?: unknown;
  code?: unknown;
  detail?: unknown;
  errors?: unknown;
  conflict?: unknown;
  retry_after?: unknown;
}

/** Where an error happened: the request the SDK sent. */
export interface RequestInfo {
  /** The `X-Request-Id` of the request (the SDK sends one; the API echoes it and logs it). */
  requestId?: string | undefined;
  method?: string | undefined;
  url?: string | undefined;
}

/**
 * Every error the SDK throws, except a caller's own abort (that rejects with the signal's reason).
 * An answer of the API carries its RFC 9457 problem fields; `status` is `0` when no answer came
 * (see {@link InstaInstruConnectionError}).
 */
export class InstaInstruError extends Error {
  override readonly name: string = 'InstaInstruError';
  /** HTTP status code; 0 when the API never answered. */
  readonly status: number;
  /** Stable machine-readable code (see `ErrorCode` in the API reference, plus `connection_error` and `timeout`). */
  readonly code: ErrorCode | 'connection_error' | 'timeout' | (string & {});
  /** Short summary of the problem type. */
  readonly title: string;
  /** Explanation of this occurrence, when the API gave one. */
  readonly detail: string | undefined;
  /** Failing fields of a validation problem. */
  readonly errors: FieldError[];
  /** The conflicting time of a booking conflict. */
  readonly conflict: ConflictWindow | undefined;
  /** Seconds the API asked to wait before retrying (429/503), when known. */
  readonly retryAfter: number | undefined;
  /** The raw response body (parsed JSON when possible). */
  readonly body: unknown;
  /** The request's `X-Request-Id`: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** Method and URL of the request. */
  readonly method: string | undefined;
  readonly url: string | undefined;

  constructor(status: number, body: unknown, retryAfter?: number, request: RequestInfo = {}) {
    const problem: ProblemLike = typeof body === 'object' && body !== null ? body : {};
    const code = typeof problem.code === 'string' ? problem.code : (FALLBACK_CODES[status] ?? (status >= 500 ? 'internal_error' : 'unexpected_response'));
    const title = typeof problem.title === 'string' ? problem.title : `HTTP ${status}`;
    const detail = typeof problem.detail === 'string' ? problem.detail : undefined;
    super(`${status} ${code}: ${detail ?? title}`);
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [];
    this.conflict = isConflict(problem.conflict) ? problem.conflict : undefined;
    this.retryAfter = typeof problem.retry_after === 'number' ? problem.retry_after : retryAfter;
    this.body = body;
    this.requestId = request.requestId;
    this.method = request.method;
    this.url = request.url;
  }
}

/** The API could not be reached: DNS, refused or reset connection, TLS (`code: "connection_error"`, `status: 0`). */
export class InstaInstruConnectionError extends InstaInstruError {
  override readonly name: string = 'InstaInstruConnectionError';

  constructor(request: RequestInfo, cause: unknown, code: 'connection_error' | 'timeout' = 'connection_error', detail?: string) {
    super(0, { code, title: 'No answer from the API', detail: detail ?? `Cannot reach ${request.url ? new URL(request.url).origin : 'the API'}${reason(cause)}` }, undefined, request);
    this.cause = cause;
  }
}

/** No answer within the client's `timeout` (`code: "timeout"`). */
export class InstaInstruTimeoutError extends InstaInstruConnectionError {
  override readonly name: string = 'InstaInstruTimeoutError';

  constructor(request: RequestInfo, cause: unknown, timeoutMs: number | undefined) {
    const origin = request.url ? new URL(request.url).origin : 'the API';
    super(request, cause, 'timeout', `No answer from ${origin} within ${timeoutMs === undefined ? 'the timeout' : `${timeoutMs / 1000} s`}`);
  }
}

function reason(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const why = inner?.code ?? inner?.message;
  return typeof why === 'string' ? ` (${why})` : '';
}

function isConflict(value: unknown): value is ConflictWindow {
  return typeof value === 'object' && value !== null && 'start_at' in value && 'end_at' in value;
}
