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

/** Any non-2xx answer of the API, carrying its RFC 9457 problem fields. */
export class InstaInstruError extends Error {
  override readonly name = 'InstaInstruError';
  /** HTTP status code. */
  readonly status: number;
  /** Stable machine-readable code (see `ErrorCode` in the API reference). */
  readonly code: ErrorCode | (string & {});
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

  constructor(status: number, body: unknown, retryAfter?: number) {
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
  }
}

function isConflict(value: unknown): value is ConflictWindow {
  return typeof value === 'object' && value !== null && 'start_at' in value && 'end_at' in value;
}
