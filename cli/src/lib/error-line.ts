import { InstaInstruError } from '@instainstru/sdk';
import { CliProblem } from './problem.js';

/** What to do next, per API problem code. */
const HINTS: Record<string, string> = {
  unauthenticated: 'Run `instru login`.',
  invalid_credentials: 'Check the email and password (or API key), then run `instru login` again.',
  token_expired: 'Your session ended: run `instru login` again.',
  forbidden: 'This needs another role (instructor or student) or the owner of the resource.',
  validation_error: 'See the command\'s --help for the expected values.',
  not_found: 'Check the id (`instru bookings list`, `instru services list`).',
  outside_availability: 'See free start times with `instru instructors availability`.',
  instructor_conflict: 'See free start times with `instru instructors availability`.',
  student_conflict: 'See your lessons with `instru bookings list --role student`.',
  too_soon: 'Pick a later time.',
  rate_limited: 'Wait a moment and try again.',
};

/** An error as one line `<what happened> (<code>) <what to do>`, or undefined for errors oclif itself reports. */
export function errorLine(error: unknown, apiUrl?: string): { line: string; code: string; exitCode: number } | undefined {
  if (error instanceof InstaInstruError) {
    // Field errors say it all ("booking_id must match format uuid"); the detail would repeat them.
    const fields = error.errors.map((e) => `${e.path.replace(/^\/?(params|query|body)\//, '').replaceAll('/', '.')} ${e.message}`).join('; ');
    const what = fields ? `Invalid input: ${fields}` : (error.detail ?? error.title);
    const wait = error.retryAfter === undefined ? undefined : `Try again in ${error.retryAfter} s.`;
    // A conflict's detail names the busy time already; without one, say it.
    const busy = error.conflict && !error.detail ? `Busy ${error.conflict.start_at} to ${error.conflict.end_at}.` : undefined;
    return { line: join(what, error.code, wait ?? busy ?? HINTS[error.code]), code: error.code, exitCode: 1 };
  }
  if (error instanceof CliProblem) return { line: join(error.message, error.code, error.hint), code: error.code, exitCode: error.exitCode };
  if (isNetworkFailure(error)) {
    const where = apiUrl ? ` at ${apiUrl}` : '';
    const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
    const why = cause?.code ?? cause?.message ? ` (${String(cause.code ?? cause.message)})` : '';
    return { line: join(`Cannot reach the API${where}${why}`, 'network_error', 'Start it (`npm start`) or point the CLI at it: `instru config set api-url <url>` or INSTRU_API_URL.'), code: 'network_error', exitCode: 1 };
  }
  return undefined;
}

function join(what: string, code: string, hint?: string): string {
  const sentence = what.replace(/[.\s]+$/, '');
  return `${sentence} (${code})${hint ? ` ${hint}` : ''}`.replace(/\s*\n\s*/g, ' ');
}

function isNetworkFailure(error: unknown): error is TypeError {
  return error instanceof TypeError && error.message === 'fetch failed';
}
