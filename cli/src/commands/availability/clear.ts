import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { changeFlags, confirmChange } from '../../lib/confirm.js';
import { isDate, weekday } from '../../lib/dates.js';
import { invalidDateArg } from '../../lib/flags.js';
import { outsideWarning } from '../../lib/outside.js';
import { formatRanges } from '../../lib/ranges.js';

export default class AvailabilityClear extends InstruCommand {
  static override summary = 'Make a date not available (removes all its ranges).';
  static override description = 'Shows the ranges it removes and asks first (--yes skips the question, --dry-run only shows them).';
  static override examples = ['<%= config.bin %> availability clear 2026-07-15', '<%= config.bin %> availability clear 2026-07-15 --yes'];
  static override args = { date: Args.string({ description: 'Date, YYYY-MM-DD.', required: true }) };
  static override flags = changeFlags;

  async run() {
    const { args, flags } = await this.parse(AvailabilityClear);
    if (!isDate(args.date)) throw invalidDateArg(args.date, 'instru availability clear 2026-07-15');
    const client = await this.client();
    const current = await client.availability.get({ from: args.date, to: args.date });
    const change = { summary: `Removes every range of ${weekday(args.date)} ${args.date}: ${formatRanges(current.days[0]?.ranges ?? [], 'none')}.` };
    if (!(await confirmChange((t) => this.log(t), { ...flags, json: this.jsonEnabled() }, change))) return { dry_run: true, change };
    const result = await client.availability.clearDay({ date: args.date });
    this.log(`${args.date}: not available`);
    const warning = outsideWarning(result.bookings_outside);
    if (warning) this.log(warning);
    return result;
  }
}
