import { Args, Flags } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { weekday } from '../../lib/dates.js';
import { dateFlag } from '../../lib/flags.js';

export default class InstructorsAvailability extends InstruCommand {
  static override summary = 'List the start times at which a lesson of a given length can be booked.';
  static override examples = [
    '<%= config.bin %> instructors availability 0b6f... --date 2026-07-15 --duration 60',
    '<%= config.bin %> instructors availability 0b6f... --date 2026-07-15 --to 2026-07-21 --duration 90 --json',
  ];
  static override args = { id: Args.string({ description: 'Instructor id (see `instru instructors search`).', required: true }) };
  static override flags = {
    date: dateFlag({ description: "Date, in the instructor's timezone.", required: true }),
    to: dateFlag({ description: 'Last date, to see several days [default: --date].' }),
    duration: Flags.integer({ description: 'Lesson length in minutes.', required: true, min: 1 }),
  };

  async run() {
    const { args, flags } = await this.parse(InstructorsAvailability);
    const client = await this.anonymousClient();
    const result = await client.instructors.availability({ instructor_id: args.id, from: flags.date, to: flags.to ?? flags.date, duration_minutes: flags.duration });
    this.log(`Start times for ${flags.duration} min (${result.timezone}):`);
    for (const day of result.days) {
      const times = day.start_times ?? [];
      this.log(`${weekday(day.date)} ${day.date}  ${times.length === 0 ? 'none' : times.join(' ')}`);
    }
    return result;
  }
}
