import { Flags } from '@oclif/core';
import { InstruCommand } from '../lib/base-command.js';
import { dashboardText } from '../lib/dashboard-text.js';
import { errorLine } from '../lib/error-line.js';
import { isInteractive } from '../lib/tty.js';

export default class DashboardCommand extends InstruCommand {
  static override summary = "Today's lessons, the next 7 days, and the month's counts and earnings; refreshes live.";
  static override description = 'In a terminal it stays open and refreshes (q quits, r refreshes now). With --json, or when output is not a terminal, it prints once.';
  static override examples = ['<%= config.bin %> dashboard', '<%= config.bin %> dashboard --interval 10', '<%= config.bin %> dashboard --json'];
  static override flags = { interval: Flags.integer({ description: 'Seconds between refreshes.', default: 30, min: 1 }) };

  protected override screen = true;

  async run() {
    const { flags } = await this.parse(DashboardCommand);
    const client = await this.client();
    if (this.jsonEnabled() || !isInteractive()) {
      const data = await client.me.dashboard();
      this.log(dashboardText(data));
      return data;
    }
    const [{ render }, { createElement }, { DashboardScreen }] = await Promise.all([import('ink'), import('react'), import('../ui/dashboard-screen.js')]);
    const app = render(
      createElement(DashboardScreen, {
        load: () => client.me.dashboard(),
        intervalMs: flags.interval * 1000,
        describeError: (error) => errorLine(error)?.line ?? String(error),
      }),
      { exitOnCtrlC: false },
    );
    await app.waitUntilExit();
    return undefined;
  }
}
