import { exitCodeOf } from './exit-codes.js';

/** A problem found by the CLI itself (missing input, not logged in), shown like an API problem: one line with a code. */
export class CliProblem extends Error {
  override readonly name = 'CliProblem';

  constructor(
    /** Stable machine-readable code, e.g. `missing_input`; it decides the exit code (see exitCodeOf). */
    readonly code: string,
    message: string,
    /** What to do about it, appended to the line. */
    readonly hint?: string,
  ) {
    super(message);
  }

  /** Process exit code, the one of the code's class. */
  get exitCode(): number {
    return exitCodeOf(this.code);
  }
}
