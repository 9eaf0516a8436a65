import { CliProblem } from './problem.js';

/** True when a person is at the terminal: prompts and screens are allowed. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/** Fails with `not_a_tty` unless a person is at the terminal (screens never start in a pipe). */
export function requireInteractive(what: string, instead: string): void {
  if (!isInteractive()) throw new CliProblem('not_a_tty', `${what} needs an interactive terminal`, instead);
}
