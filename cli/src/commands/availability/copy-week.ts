import { InstruCommand } from '../../lib/base-command.js';
import { changeFlags, confirmChange } from '../../lib/confirm.js';
import { addDays } from '../../lib/dates.js';
import { mondayFlag } from '../../lib/flags.js';
import { outsideWarning } from '../../lib/outside.js';
import { weekGrid } from '../../lib/week-grid.js';

export default class AvailabilityCopyWeek extends InstruCommand {
  static override summary = 'Copy a week (Monday to Sunday) onto another week, replacing it.';
  static override description = 'Asks first (--yes skips the question, --dry-run only shows what it replaces).';
  static override examples = ['<%= config.bin %> availability copy-week --from 2026-07-13 --to 2026-07-20', '<%= config.bin %> availability copy-week --from 2026-07-13 --to 2026-07-20 --yes'];
  static override flags = {
    from: mondayFlag({ description: 'Monday of the week to copy.', required: true }),
    to: mondayFlag({ description: 'Monday of the week to overwrite.', required: true }),
    ...changeFlags,
  };

  async run() {
    const { flags } = await this.parse(AvailabilityCopyWeek);
    const change = { summary: `Replaces the week of ${flags.to} (${flags.to} to ${addDays(flags.to, 6)}) with the week of ${flags.from}.` };
    if (!(await confirmChange((t) => this.log(t), { ...flags, json: this.jsonEnabled() }, change))) return { dry_run: true, change };
    const result = await (await this.client()).availability.copyWeek({ source_week_start: flags.from, target_week_start: flags.to });
    this.log(`Copied the week of ${flags.from} to the week of ${flags.to} (to ${addDays(flags.to, 6)}):`);
    this.log(weekGrid(result.days));
    const warning = outsideWarning(result.bookings_outside);
    if (warning) this.log(warning);
    return result;
  }
}
