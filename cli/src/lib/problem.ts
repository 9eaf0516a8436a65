/** A problem found by the CLI itself (missing input, not logged in), shown like an API problem: one line with a code. */
export class CliProblem extends Error {
  override readonly name = 'CliProblem';

  constructor(
    /** Stable machine-readable code, e.g. `missing_input`. */
    readonly code: string,
    message: string,
    /** What to do about it, appended to the line. */
    readonly hint?: string,
    /** Process exit code. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
