/**
 * Exit codes, one per class of mistake, decided here for every error the CLI prints: 1 the API
 * refused or failed (conflicts, not found, forbidden, rate limits, cannot reach it, time out),
 * 2 the input was wrong, whether the CLI found it (usage, values, a missing confirmation, no
 * terminal) or the API did (any 400 or 422 answer: `validation_error`, `invalid_webhook_url`,
 * `too_soon`...), 4 not signed in or the credential no longer works (any 401), 130 interrupted.
 */
export const EXIT = { failed: 1, input: 2, auth: 4, interrupted: 130 } as const;

const AUTH_CODES = new Set(['not_logged_in', 'unauthenticated', 'token_expired', 'invalid_credentials', 'invalid_refresh_token']);
const INPUT_CODES = new Set(['usage_error', 'command_not_found', 'invalid_input', 'missing_input', 'validation_error', 'invalid_date', 'unknown_setting', 'confirmation_required', 'not_a_tty']);
/** HTTP statuses of API answers that say the request's values were wrong. */
const INPUT_STATUSES = new Set([400, 422]);

/** The exit code of an error code, and of the HTTP status of the API's answer when there was one. */
export function exitCodeOf(code: string, status?: number): number {
  if (AUTH_CODES.has(code) || status === 401) return EXIT.auth;
  if (INPUT_CODES.has(code) || (status !== undefined && INPUT_STATUSES.has(status))) return EXIT.input;
  return EXIT.failed;
}
