import { spawn } from 'node:child_process';
import { Args, Flags } from '@oclif/core';
import { InstruCommand } from '../lib/base-command.js';
import { effectiveSettings } from '../lib/settings.js';
import { isInteractive } from '../lib/tty.js';

const TARGETS = ['docs', 'profile', 'openapi'] as const;

export default class Open extends InstruCommand {
  static override summary = 'Open the API reference, or your public instructor profile, in the browser.';
  static override description =
    'docs: the API reference; openapi: the contract (openapi.yaml); profile: your public instructor page as partner sites read it. Without a terminal (or with --print) it prints the URL instead. $BROWSER, when set, is the program it opens with.';
  static override examples = ['<%= config.bin %> open', '<%= config.bin %> open profile', '<%= config.bin %> open docs --print'];
  static override args = { target: Args.string({ description: 'What to open.', options: [...TARGETS], default: 'docs' }) };
  static override flags = { print: Flags.boolean({ description: 'Print the URL, do not open it.' }) };

  async run() {
    const { args, flags } = await this.parse(Open);
    const { apiUrl } = await effectiveSettings();
    let url = `${apiUrl}/docs`;
    if (args.target === 'openapi') url = `${apiUrl}/openapi.yaml`;
    if (args.target === 'profile') url = `${apiUrl}/v1/instructors/${(await (await this.client()).me.get()).id}`;
    const browser = process.env.BROWSER;
    if (flags.print || this.jsonEnabled() || (!browser && !isInteractive())) {
      this.log(url);
      return { url, opened: false };
    }
    await launch(browser, url);
    this.log(`Opened ${url}`);
    return { url, opened: true };
  }
}

/** Starts the system's URL opener (or $BROWSER) and does not wait for the browser to close. */
function launch(browser: string | undefined, url: string): Promise<void> {
  const [command, ...args] = browser ? [browser, url] : process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url];
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
