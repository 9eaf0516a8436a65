import { InstruCommand } from '../../lib/base-command.js';
import { addDays, mondayOf, today } from '../../lib/dates.js';
import { dateFlag } from '../../lib/flags.js';
import { CliProblem } from '../../lib/problem.js';
import { activeLessons } from '../../lib/week-bookings.js';
import { bookingLines, weekGrid } from '../../lib/week-grid.js';

export default class AvailabilityShow extends InstruCommand {
  static override summary = 'Show your availability as a week grid, with your lessons.';
  static override description = 'One row per date: the ranges, then the day from 06:00 in half hours (= available, # booked, . not available). Defaults to this week.';
  static override examples = [
    '<%= config.bin %> availability show',
    '<%= config.bin %> availability show --from 2026-07-13 --to 2026-07-19',
    '<%= config.bin %> availability show --from 2026-07-13 --json',
  ];
  static override flags = {
    from: dateFlag({ description: 'First date [default: Monday of this week].' }),
    to: dateFlag({ description: 'Last date [default: 6 days after --from].' }),
  };

  async run() {
    const { flags } = await this.parse(AvailabilityShow);
    const from = flags.from ?? mondayOf(today());
    const to = flags.to ?? addDays(from, 6);
    if (to < from) throw new CliProblem('invalid_input', `--to ${to} is before --from ${from}`, 'Swap them.');
    const client = await this.client();
    const [calendar, bookings] = await Promise.all([client.availability.get({ from, to }), activeLessons(client, from, to)]);
    this.log(`Availability ${from} to ${to} (${calendar.timezone})`);
    this.log(weekGrid(calendar.days, bookings));
    if (bookings.length > 0) this.log(['', 'Lessons:', ...bookingLines(bookings).map((l) => `  ${l}`)].join('\n'));
    return { ...calendar, bookings };
  }
}
