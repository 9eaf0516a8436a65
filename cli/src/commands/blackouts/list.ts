import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { collect } from '../../lib/collect.js';
import { weekday } from '../../lib/dates.js';
import { dateFlag } from '../../lib/flags.js';
import { table } from '../../lib/table.js';

export default class BlackoutsList extends InstruCommand {
  static override summary = 'List your blackout dates.';
  static override examples = ['<%= config.bin %> blackouts list', '<%= config.bin %> blackouts list --from 2026-07-01 --to 2026-12-31 --json'];
  static override flags = {
    from: dateFlag({ description: 'First date.' }),
    to: dateFlag({ description: 'Last date.' }),
  };

  async run() {
    const { flags } = await this.parse(BlackoutsList);
    const client = await this.client();
    const blackouts = await collect(paginate(client.blackouts.list, { ...(flags.from ? { from: flags.from } : {}), ...(flags.to ? { to: flags.to } : {}) }));
    this.log(
      blackouts.length === 0
        ? 'No blackout dates.'
        : table(blackouts, [
            { heading: 'date', value: (b) => `${weekday(b.date)} ${b.date}` },
            { heading: 'reason', value: (b) => b.reason ?? '-' },
          ]),
    );
    return { data: blackouts };
  }
}
