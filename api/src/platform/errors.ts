/** Every stable error code the API returns, with its HTTP status (the list in openapi.yaml). */
export const ERROR_STATUS = {
  validation_error: 400,
  malformed_json: 400,
  invalid_date: 400,
  invalid_time_range: 400,
  invalid_timezone: 400,
  range_too_long: 400,
  invalid_reset_token: 400,
  request_aborted: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  invalid_credentials: 401,
  token_expired: 401,
  invalid_refresh_token: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  email_taken: 409,
  weak_password: 422,
  in_past: 422,
  too_soon: 422,
  invalid_duration: 422,
  invalid_location_type: 422,
  service_inactive: 422,
  cannot_book_self: 422,
  blackout: 409,
  outside_availability: 409,
  instructor_conflict: 409,
  student_conflict: 409,
  invalid_transition: 409,
  idempotency_key_reused: 422,
  nonexistent_time: 422,
  invalid_start_time: 422,
  too_many_bookings: 422,
  idempotency_in_progress: 409,
  payment_method_required: 422,
  invalid_payment_method: 422,
  invalid_amount: 422,
  payment_declined: 402,
  invalid_signature: 400,
  payment_processor_unavailable: 503,
  rate_limited: 429,
  service_unavailable: 503,
  database_unavailable: 503,
  database_read_only: 503,
  storage_full: 503,
  invalid_webhook_url: 422,
  webhook_limit_reached: 422,
  webhook_disabled: 409,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  path: string;
  message: string;
}

/** A rule the client broke: becomes an RFC 9457 problem with a stable code. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; conflict?: { start_at: string; end_at: string }; retry_after?: number } = {},
  ) {
    super(detail);
    this.status = ERROR_STATUS[code];
  }
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  validation_error: 'Request is invalid',
  malformed_json: 'Malformed JSON body',
  payload_too_large: 'Request body too large',
  unauthenticated: 'Authentication required',
  invalid_credentials: 'Wrong email or password',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  rate_limited: 'Too many requests',
  internal_error: 'Internal server error',
};

/** The problem+json body for an error code. */
export function problemBody(err: AppError, instance?: string): Record<string, unknown> {
  return {
    type: `https://instainstru.dev/problems/${err.code}`,
    title: TITLES[err.code] ?? humanize(err.code),
    status: err.status,
    code: err.code,
    detail: err.detail,
    ...(instance ? { instance } : {}),
    ...err.extra,
  };
}

function humanize(code: string): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
