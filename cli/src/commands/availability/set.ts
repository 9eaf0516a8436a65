import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { isDate } from '../../lib/dates.js';
import { invalidDateArg } from '../../lib/flags.js';
import { outsideWarning } from '../../lib/outside.js';
import { CliProblem } from '../../lib/problem.js';
import { formatRanges, parseRanges } from '../../lib/ranges.js';

export default class AvailabilitySet extends InstruCommand {
  static override summary = "Replace one date's ranges.";
  static override description = 'Overlapping or touching ranges are merged. Existing bookings are never changed: the ones now outside your availability are listed.';
  static override examples = ['<%= config.bin %> availability set 2026-07-15 09:00-12:00 14:00-17:00', '<%= config.bin %> availability set 2026-07-16 10:00-18:00 --json'];
  static override strict = false;
  static override usage = 'availability set DATE RANGE [RANGE...]';
  static override args = {
    date: Args.string({ description: 'Date, YYYY-MM-DD.', required: true }),
    ranges: Args.string({ description: 'One or more ranges HH:MM-HH:MM (instru availability clear <date> removes all).', required: true }),
  };

  async run() {
    const { args, argv } = await this.parse(AvailabilitySet);
    if (!isDate(args.date)) throw invalidDateArg(args.date, 'instru availability set 2026-07-15 09:00-12:00');
    let ranges;
    try {
      ranges = parseRanges((argv as string[]).slice(1).join(' '));
    } catch (error) {
      throw new CliProblem('invalid_input', (error as Error).message, 'Write ranges like 09:00-12:00 14:00-17:00.');
    }
    const result = await (await this.client()).availability.setDay({ date: args.date, ranges });
    const day = result.days.find((d) => d.date === args.date);
    this.log(`${args.date}: ${formatRanges(day?.ranges ?? [], 'not available')}`);
    const warning = outsideWarning(result.bookings_outside);
    if (warning) this.log(warning);
    return result;
  }
}
