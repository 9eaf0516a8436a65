import { InstruCommand } from '../../lib/base-command.js';
import { dateFlag } from '../../lib/flags.js';

export default class BlackoutsRemove extends InstruCommand {
  static override summary = 'Remove a blackout date (its ranges apply again).';
  static override examples = ['<%= config.bin %> blackouts remove --date 2026-08-15'];
  static override flags = { date: dateFlag({ description: 'Date to open again.', required: true }) };

  async run() {
    const { flags } = await this.parse(BlackoutsRemove);
    await (await this.client()).blackouts.remove({ date: flags.date });
    this.log(`Removed the blackout on ${flags.date}.`);
    return { date: flags.date, removed: true };
  }
}
