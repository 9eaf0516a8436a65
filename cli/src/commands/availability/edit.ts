import { InstruCommand } from '../../lib/base-command.js';
import { addDays, mondayOf, today } from '../../lib/dates.js';
import { errorLine } from '../../lib/error-line.js';
import { mondayFlag } from '../../lib/flags.js';
import { requireInteractive } from '../../lib/tty.js';
import { activeLessons } from '../../lib/week-bookings.js';

export default class AvailabilityEdit extends InstruCommand {
  static override summary = 'Edit a week interactively: arrows pick a day, type its ranges, [ and ] change the week, s saves, q quits.';
  static override description =
    'Shows the week\'s lessons next to each day and warns when a lesson would fall outside the new ranges. Saving writes all seven days at once (atomic). Needs a terminal; in scripts use `availability set` or `copy-week`.';
  static override examples = ['<%= config.bin %> availability edit', '<%= config.bin %> availability edit --week 2026-07-13'];
  static override flags = { week: mondayFlag({ description: 'Monday of the week to edit [default: this week].' }) };

  protected override screen = true;

  async run() {
    const { flags } = await this.parse(AvailabilityEdit);
    const monday = flags.week ?? mondayOf(today());
    requireInteractive('The week editor', 'Use `instru availability set <date> <ranges...>` or `instru availability copy-week` in scripts.');
    const client = await this.client();
    const [calendar, bookings] = await Promise.all([client.availability.get({ from: monday, to: addDays(monday, 6) }), activeLessons(client, monday, addDays(monday, 6))]);
    // ink and react load only here, so other commands start fast.
    const [{ render }, { createElement }, { WeekEditor }] = await Promise.all([import('ink'), import('react'), import('../../ui/week-editor.js')]);
    const app = render(
      createElement(WeekEditor, {
        monday,
        timezone: calendar.timezone,
        days: calendar.days,
        bookings,
        save: (days) => client.availability.saveDays({ days }),
        loadWeek: async (week: string) => {
          const [next, lessons] = await Promise.all([client.availability.get({ from: week, to: addDays(week, 6) }), activeLessons(client, week, addDays(week, 6))]);
          return { days: next.days, bookings: lessons };
        },
        describeError: (error) => errorLine(error)?.line ?? String(error),
      }),
      // Ctrl+C goes through the editor, which exits 130 like everywhere else.
      { exitOnCtrlC: false },
    );
    await app.waitUntilExit();
    return { monday };
  }
}
