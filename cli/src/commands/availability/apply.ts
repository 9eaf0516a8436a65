import { InstruCommand } from '../../lib/base-command.js';
import { addDays } from '../../lib/dates.js';
import { dateFlag, mondayFlag } from '../../lib/flags.js';
import { outsideWarning } from '../../lib/outside.js';
import { CliProblem } from '../../lib/problem.js';

export default class AvailabilityApply extends InstruCommand {
  static override summary = "Repeat a week's pattern on every following week until a date.";
  static override description = "Each date from --start to --until gets the ranges of the same weekday in the week of --week; it's atomic.";
  static override examples = [
    '<%= config.bin %> availability apply --week 2026-07-13 --until 2026-09-30',
    '<%= config.bin %> availability apply --week 2026-07-13 --start 2026-08-03 --until 2026-08-30',
  ];
  static override flags = {
    week: mondayFlag({ description: 'Monday of the week to repeat.', required: true }),
    until: dateFlag({ description: 'Last date to fill.', required: true }),
    start: dateFlag({ description: 'First date to fill [default: the Monday after --week].' }),
  };

  async run() {
    const { flags } = await this.parse(AvailabilityApply);
    const start = flags.start ?? addDays(flags.week, 7);
    if (flags.until < start) throw new CliProblem('invalid_input', `--until ${flags.until} is before ${start}`, 'Pick a later --until.', 2);
    const result = await (await this.client()).availability.applyPattern({ source_week_start: flags.week, start_date: start, end_date: flags.until });
    const open = result.days.filter((d) => d.ranges.length > 0).length;
    this.log(`Applied the week of ${flags.week} to ${start}..${flags.until}: ${result.days.length} dates written, ${open} with availability.`);
    const warning = outsideWarning(result.bookings_outside);
    if (warning) this.log(warning);
    return result;
  }
}
