import { InstaInstruError } from '@instainstru/sdk';
import { flagFor } from './field-flags.js';
import { localizeInstants, localSpan } from './local-time.js';
import { CliProblem } from './problem.js';

/**
 * Exit codes, one per class of mistake: 1 the API refused or failed, 2 the input was wrong
 * (usage, values, a missing confirmation), 4 not signed in or the credential no longer works,
 * 130 interrupted (Ctrl+C).
 */
export const EXIT = { failed: 1, input: 2, auth: 4, interrupted: 130 } as const;

const AUTH_CODES = new Set(['not_logged_in', 'unauthenticated', 'token_expired', 'invalid_credentials', 'invalid_refresh_token']);
const INPUT_CODES = new Set(['usage_error', 'invalid_input', 'missing_input', 'validation_error', 'invalid_date', 'unknown_setting', 'confirmation_required', 'not_a_tty']);

/** The exit code of an error code. */
export function exitCodeOf(code: string): number {
  if (AUTH_CODES.has(code)) return EXIT.auth;
  if (INPUT_CODES.has(code)) return EXIT.input;
  return EXIT.failed;
}

/** What to do next, per code. */
const HINTS: Record<string, string> = {
  unauthenticated: 'Run `instru login`.',
  not_logged_in: 'Run `instru login` (or set INSTRU_TOKEN).',
  invalid_credentials: 'Check the email and password (or API key), then run `instru login` again.',
  token_expired: 'Your session ended: run `instru login` again.',
  invalid_refresh_token: 'Your session ended: run `instru login` again.',
  forbidden: 'This needs another role (instructor or student) or the owner of the resource.',
  validation_error: "See the command's --help for the expected values.",
  invalid_date: "See the command's --help for the expected dates.",
  not_found: 'Check the id (`instru bookings list`, `instru services list`, `instru keys list`).',
  outside_availability: 'See free start times with `instru instructors availability`.',
  instructor_conflict: 'See free start times with `instru instructors availability`.',
  student_conflict: 'See your lessons with `instru bookings list --role student`.',
  too_soon: 'Pick a later time.',
  connection_error: 'Check the API URL (`instru config get api-url`, INSTRU_API_URL) and that the API is running (`npm start`).',
  unexpected_response: 'Check the API URL: `instru config get api-url` (or --api-url at login, INSTRU_API_URL).',
  internal_error: 'The API failed; try again, and quote the request id if it keeps failing.',
};

/** An API method and path in a message means nothing to a CLI user. */
const HTTP_ROUTE = /\b(GET|POST|PUT|PATCH|DELETE)\s+\/\S*/;

export interface ErrorLine {
  line: string;
  code: string;
  exitCode: number;
}

/** An error as one line `<what happened> (<code>) <what to do>`, or undefined for errors oclif itself reports. */
export function errorLine(error: unknown, commandId?: string): ErrorLine | undefined {
  if (error instanceof InstaInstruError) return apiErrorLine(error, commandId);
  if (error instanceof CliProblem) return { line: join(error.message, error.code, error.hint), code: error.code, exitCode: error.exitCode };
  return undefined;
}

function apiErrorLine(error: InstaInstruError, commandId?: string): ErrorLine {
  const code = error.code;
  const origin = error.url ? new URL(error.url).origin : 'the API';
  if (code === 'connection_error') return line(`Cannot reach ${origin}${cause(error)}`, code);
  if (code === 'timeout') return line(error.detail ?? `No answer from ${origin}`, code, 'Try again, or wait longer with --timeout <seconds> (or INSTRU_TIMEOUT).');
  if (code === 'rate_limited') return line('Too many requests', code, `Try again in ${error.retryAfter ?? 60} s.`);
  // Field errors say it all; name them as the command's flags, not as the API's fields.
  const fields = error.errors.map((e) => `${flagFor(e.path, commandId)} ${e.message}`).join('; ');
  const detail = error.detail && !HTTP_ROUTE.test(error.detail) ? error.detail : error.title;
  const what = fields ? `Invalid input: ${fields}` : detail;
  // A conflict's detail names the busy time already; without one, say it.
  const busy = error.conflict && !error.detail ? `Busy ${localSpan(error.conflict.start_at, error.conflict.end_at)}.` : undefined;
  const id = error.status >= 500 && error.requestId ? ` Request id: ${error.requestId}.` : '';
  return line(localizeInstants(what), code, `${busy ?? HINTS[code] ?? ''}${id}`.trim() || undefined);
}

function line(what: string, code: string, hint: string | undefined = HINTS[code]): ErrorLine {
  return { line: join(what, code, hint), code, exitCode: exitCodeOf(code) };
}

function cause(error: InstaInstruError): string {
  const inner = (error.cause as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof inner?.code === 'string' ? ` (${inner.code})` : '';
}

function join(what: string, code: string, hint?: string): string {
  const sentence = what.replace(/[.\s]+$/, '');
  return `${sentence} (${code})${hint ? ` ${hint}` : ''}`.replace(/\s*\n\s*/g, ' ');
}
