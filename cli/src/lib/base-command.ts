import { Command } from '@oclif/core';
import type { InstaInstruClient } from '@instainstru/sdk';
import { enableActivity } from './activity.js';
import { clientFromSettings, useTimeout } from './client.js';
import { errorLine, type ErrorLine } from './error-line.js';
import { EXIT, exitCodeOf } from './exit-codes.js';
import { globalFlags } from './global-flags.js';
import { useSettingsContext } from './settings.js';

/**
 * Base of every `instru` command: `--json`, `--profile` and `--timeout` on all of them (the
 * command's return value is the JSON), and every failure printed as one line
 * `Error: <what> (<code>) <what to do>` with the exit code of its class (see EXIT).
 */
export abstract class InstruCommand extends Command {
  static override enableJsonFlag = true;
  static override baseFlags = globalFlags;

  /** Full-screen commands turn the spinner off (it would draw over the screen). */
  protected screen = false;

  override async init(): Promise<void> {
    await super.init();
    useSettingsContext({ configDir: this.config.configDir });
    const { flags } = await this.parse(this.ctor);
    useSettingsContext({ configDir: this.config.configDir, profile: flags.profile as string | undefined });
    useTimeout(flags.timeout as number | undefined);
    enableActivity(!this.jsonEnabled() && !this.screen);
  }

  /** A client signed in with the profile's (or INSTRU_TOKEN's) credential. */
  protected client(): Promise<InstaInstruClient> {
    return clientFromSettings();
  }

  /** A client without credentials, for public reads. */
  protected anonymousClient(): Promise<InstaInstruClient> {
    return clientFromSettings({ anonymous: true });
  }

  protected override async catch(error: Error & { parse?: unknown; oclif?: { exit?: number } }): Promise<unknown> {
    if (isInterrupt(error)) return this.exit(EXIT.interrupted);
    const known = errorLine(error, this.id) ?? this.usageLine(error);
    if (!known) return super.catch(error);
    if (this.jsonEnabled()) this.logJson({ error: { code: known.code, message: known.line, ...problemFields(error) } });
    process.stderr.write(`Error: ${known.line}\n`);
    return this.exit(known.exitCode);
  }

  /** oclif's flag and argument errors (they end with "See more help with --help"), as one line pointing at the command's help. */
  private usageLine(error: Error & { parse?: unknown }): ErrorLine | undefined {
    if (!error.parse && !error.message.endsWith('See more help with --help')) return undefined;
    const what = error.message
      .replace(/See more help with --help$/, '')
      .replace(/^Parsing (--\S+)\s*/, '$1: ')
      .replace(/\s+/g, ' ')
      .replace(/[.\s]+$/, '');
    return { line: `${what} (usage_error) See \`instru ${this.id?.replaceAll(':', ' ') ?? ''} --help\`.`, code: 'usage_error', exitCode: exitCodeOf('usage_error') };
  }
}

/** Ctrl+C in a prompt (inquirer) or an aborted call. */
function isInterrupt(error: Error): boolean {
  return error.name === 'ExitPromptError' || error.name === 'AbortPromptError' || error.name === 'Interrupted';
}

function problemFields(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null || !('status' in error)) return {};
  const { status, title, detail, errors, conflict, requestId } = error as Record<string, unknown>;
  return { status, title, detail, errors, conflict, request_id: requestId };
}
