import { Command } from '@oclif/core';
import type { InstaInstruClient } from '@instainstru/sdk';
import { clientFromSettings, apiUrl } from './client.js';
import { errorLine } from './error-line.js';

/**
 * Base of every `instru` command: `--json` on all of them (the command's return value is the JSON),
 * and every failure the CLI understands printed as one line `Error: <what> (<code>) <what to do>` with a non-zero exit.
 */
export abstract class InstruCommand extends Command {
  static override enableJsonFlag = true;

  /** A client signed in with the stored (or INSTRU_TOKEN) credential. */
  protected client(): Promise<InstaInstruClient> {
    return clientFromSettings();
  }

  /** A client without credentials, for public reads. */
  protected anonymousClient(): Promise<InstaInstruClient> {
    return clientFromSettings({ anonymous: true });
  }

  protected override async catch(error: Error & { parse?: unknown; oclif?: { exit?: number } }): Promise<unknown> {
    const known = errorLine(error, await apiUrl().catch(() => undefined)) ?? this.usageLine(error);
    if (!known) return super.catch(error);
    if (this.jsonEnabled()) this.logJson({ error: { code: known.code, message: known.line, ...problemFields(error) } });
    process.stderr.write(`Error: ${known.line}\n`);
    return this.exit(known.exitCode);
  }

  /** oclif's flag and argument errors (they end with "See more help with --help"), as one line pointing at the command's help. */
  private usageLine(error: Error & { parse?: unknown }) {
    if (!error.parse && !error.message.endsWith('See more help with --help')) return undefined;
    const what = error.message
      .replace(/See more help with --help$/, '')
      .replace(/^Parsing (--\S+)\s*/, '$1: ')
      .replace(/\s+/g, ' ')
      .replace(/[.\s]+$/, '');
    return { line: `${what} (usage_error) See \`instru ${this.id?.replaceAll(':', ' ') ?? ''} --help\`.`, code: 'usage_error', exitCode: 2 };
  }
}

function problemFields(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null || !('status' in error)) return {};
  const { status, title, detail, errors, conflict } = error as Record<string, unknown>;
  return { status, title, detail, errors, conflict };
}
