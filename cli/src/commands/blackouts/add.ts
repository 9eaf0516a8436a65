import { Flags } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { dateFlag } from '../../lib/flags.js';
import { bookingLines } from '../../lib/week-grid.js';

export default class BlackoutsAdd extends InstruCommand {
  static override summary = 'Black out a whole date (no new bookings that day, whatever its ranges).';
  static override examples = ['<%= config.bin %> blackouts add --date 2026-08-15 --reason "Holiday"'];
  static override flags = {
    date: dateFlag({ description: 'Date to black out.', required: true }),
    reason: Flags.string({ description: 'Why (only you see it).' }),
  };

  async run() {
    const { flags } = await this.parse(BlackoutsAdd);
    const result = await (await this.client()).blackouts.add({ date: flags.date, ...(flags.reason ? { reason: flags.reason } : {}) });
    this.log(`Blacked out ${result.date}${result.reason ? ` (${result.reason})` : ''}.`);
    if (result.bookings_outside.length > 0) {
      this.log(`Warning: you still have ${result.bookings_outside.length} lesson(s) that day; cancel them with \`instru bookings cancel <id>\` if needed:`);
      this.log(bookingLines(result.bookings_outside).map((l) => `  ${l}`).join('\n'));
    }
    return result;
  }
}
