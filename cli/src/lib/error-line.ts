import { InstaInstruError } from '@instainstru/sdk';
import { flagFor } from './field-flags.js';
import { localizeInstants, localSpan } from './local-time.js';
import { CliProblem } from './problem.js';
import { exitCodeOf } from './exit-codes.js';

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
  payment_method_required: 'Save a card with `instru payments methods --add <payment method id>`, then book again.',
  connection_error: 'Check the API URL (`instru config get api-url`, INSTRU_API_URL) and that the API is running (`npm start`).',
  unexpected_response: 'Check the API URL: `instru config get api-url` (or --api-url at login, INSTRU_API_URL).',
  internal_error: 'The API failed; try again, and quote the request id if it keeps failing.',
};

/** An API method and path in a message means nothing to a CLI user. */
const HTTP_ROUTE = /\b(GET|POST|PUT|PATCH|DELETE)\s+\/\S*/;
const ROUTE_ASIDE = /\s*\((?:[^()]*\s)?(?:GET|POST|PUT|PATCH|DELETE)\s+\/[^()]*\)/g;

/** The API's detail without what names its routes: "(POST /v1/...)" asides and sentences like "List yours with GET /v1/bookings." go; undefined when nothing is left. */
export function withoutRoutes(detail: string): string | undefined {
  const kept = detail
    .replace(ROUTE_ASIDE, '')
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !HTTP_ROUTE.test(sentence))
    .join(' ')
    .trim();
  return kept || undefined;
}

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
  if (code === 'connection_error') return line(`Cannot reach ${origin}${cause(error)}`, error);
  if (code === 'timeout') return line(error.detail ?? `No answer from ${origin}`, error, 'Try again, or wait longer with --timeout <seconds> (or INSTRU_TIMEOUT).');
  if (code === 'rate_limited') return line('Too many requests', error, `Try again in ${error.retryAfter ?? 60} s.`);
  // Field errors say it all; name them as the command's flags, not as the API's fields.
  const fields = error.errors.map((e) => `${flagFor(e.path, commandId)} ${e.message}`).join('; ');
  const detail = (error.detail ? withoutRoutes(error.detail) : undefined) ?? error.title;
  const what = fields ? `Invalid input: ${fields}` : detail;
  // A conflict's detail names the busy time already; without one, say it.
  const busy = error.conflict && !error.detail ? `Busy ${localSpan(error.conflict.start_at, error.conflict.end_at)}.` : undefined;
  const id = error.status >= 500 && error.requestId ? ` Request id: ${error.requestId}.` : '';
  return line(localizeInstants(what), error, `${busy ?? HINTS[code] ?? ''}${id}`.trim() || undefined);
}

function line(what: string, error: InstaInstruError, hint: string | undefined = HINTS[error.code]): ErrorLine {
  return { line: join(what, error.code, hint), code: error.code, exitCode: exitCodeOf(error.code, error.status) };
}

function cause(error: InstaInstruError): string {
  const inner = (error.cause as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof inner?.code === 'string' ? ` (${inner.code})` : '';
}

function join(what: string, code: string, hint?: string): string {
  const sentence = what.replace(/[.\s]+$/, '');
  return `${sentence} (${code})${hint ? ` ${hint}` : ''}`.replace(/\s*\n\s*/g, ' ');
}
