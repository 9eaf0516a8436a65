import { CliProblem } from './problem.js';
import { isInteractive } from './tty.js';

/** A value from a flag, else from a prompt in a terminal; without a terminal a missing value is an error, never a hang. */
export async function valueOrPrompt(value: string | undefined, flag: string, question: string, secret = false): Promise<string> {
  if (value !== undefined && value !== '') return value;
  if (!isInteractive()) throw new CliProblem('missing_input', `--${flag} is required when not in a terminal`, `Pass --${flag}.`);
  const prompts = await import('@inquirer/prompts');
  return secret ? prompts.password({ message: question, mask: '*' }) : prompts.input({ message: question, required: true });
}
