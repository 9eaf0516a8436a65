import { Flags } from '@oclif/core';
import { CliProblem } from './problem.js';
import { isInteractive } from './tty.js';

/** `--yes` and `--dry-run`, for commands that change or remove a lot. */
export const changeFlags = {
  yes: Flags.boolean({ char: 'y', description: 'Make the change without asking (needed without a terminal).' }),
  'dry-run': Flags.boolean({ description: 'Only print what would change.', exclusive: ['yes'] }),
};

/** What a destructive command is about to do: one sentence, then details. */
export interface Change {
  summary: string;
  details?: string[];
}

/**
 * Shows the change and decides whether to make it: `--yes` goes ahead, `--dry-run` stops after
 * showing it (returns false), a person at a terminal is asked; a script (no terminal, or --json)
 * without `--yes` is refused with `confirmation_required`, never left waiting.
 */
export async function confirmChange(log: (text: string) => void, flags: { yes?: boolean; 'dry-run'?: boolean; json?: boolean }, change: Change): Promise<boolean> {
  const text = [change.summary, ...(change.details ?? []).map((d) => `  ${d}`)].join('\n');
  if (flags['dry-run']) {
    log(`${text}\nDry run: nothing changed.`);
    return false;
  }
  if (flags.yes) return true;
  if (flags.json || !isInteractive()) throw new CliProblem('confirmation_required', `${change.summary.replace(/[:.]$/, '')}: this needs confirmation`, 'Pass --yes to go ahead, or --dry-run to only see the change.');
  log(text);
  const { confirm } = await import('@inquirer/prompts');
  if (await confirm({ message: 'Go ahead?', default: false })) return true;
  throw new CliProblem('cancelled', 'Cancelled: nothing changed');
}
