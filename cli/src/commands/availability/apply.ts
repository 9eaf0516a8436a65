import { InstruCommand } from '../../lib/base-command.js';
import { changeFlags, confirmChange } from '../../lib/confirm.js';
import { addDays, weekday } from '../../lib/dates.js';
import { dateFlag, mondayFlag } from '../../lib/flags.js';
import { outsideWarning } from '../../lib/outside.js';
import { CliProblem } from '../../lib/problem.js';
import { formatRanges } from '../../lib/ranges.js';

export default class AvailabilityApply extends InstruCommand {
  static override summary = "Repeat a week's pattern on every following week until a date.";
  static override description =
    "Each date from --start to --until gets the ranges of the same weekday in the week of --week; it's atomic. Shows what it replaces and asks first (--yes skips the question, --dry-run only shows it).";
  static override examples = [
    '<%= config.bin %> availability apply --week 2026-07-13 --until 2026-09-30',
    '<%= config.bin %> availability apply --week 2026-07-13 --start 2026-08-03 --until 2026-08-30 --yes',
    '<%= config.bin %> availability apply --week 2026-07-13 --until 2026-09-30 --dry-run',
  ];
  static override flags = {
    week: mondayFlag({ description: 'Monday of the week to repeat.', required: true }),
    until: dateFlag({ description: 'Last date to fill.', required: true }),
    start: dateFlag({ description: 'First date to fill [default: the Monday after --week].' }),
    ...changeFlags,
  };

  async run() {
    const { flags } = await this.parse(AvailabilityApply);
    const start = flags.start ?? addDays(flags.week, 7);
    if (flags.until < start) throw new CliProblem('invalid_input', `--until ${flags.until} is before ${start}`, 'Pick a later --until.');
    const client = await this.client();
    const source = await client.availability.get({ from: flags.week, to: addDays(flags.week, 6) });
    const dates = Math.round((Date.parse(flags.until) - Date.parse(start)) / 86_400_000) + 1;
    const change = {
      summary: `Replaces the ranges of ${dates} date(s), ${start} to ${flags.until}, with the week of ${flags.week}:`,
      details: source.days.map((d) => `${weekday(d.date)} ${formatRanges(d.ranges, 'not available')}`),
    };
    if (!(await confirmChange((t) => this.log(t), { ...flags, json: this.jsonEnabled() }, change))) return { dry_run: true, change };
    const result = await client.availability.applyPattern({ source_week_start: flags.week, start_date: start, end_date: flags.until });
    const open = result.days.filter((d) => d.ranges.length > 0).length;
    this.log(`Applied the week of ${flags.week} to ${start}..${flags.until}: ${result.days.length} dates written, ${open} with availability.`);
    const warning = outsideWarning(result.bookings_outside);
    if (warning) this.log(warning);
    return result;
  }
}
