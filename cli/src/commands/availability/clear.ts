import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { isDate } from '../../lib/dates.js';
import { outsideWarning } from '../../lib/outside.js';
import { CliProblem } from '../../lib/problem.js';

export default class AvailabilityClear extends InstruCommand {
  static override summary = 'Make a date not available (removes all its ranges).';
  static override examples = ['<%= config.bin %> availability clear 2026-07-15'];
  static override args = { date: Args.string({ description: 'Date, YYYY-MM-DD.', required: true }) };

  async run() {
    const { args } = await this.parse(AvailabilityClear);
    if (!isDate(args.date)) throw new CliProblem('invalid_input', `"${args.date}" is not a date like 2026-07-15`, undefined, 2);
    const result = await (await this.client()).availability.clearDay({ date: args.date });
    this.log(`${args.date}: not available`);
    const warning = outsideWarning(result.bookings_outside);
    if (warning) this.log(warning);
    return result;
  }
}
