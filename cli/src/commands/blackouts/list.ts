import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { collect } from '../../lib/collect.js';
import { weekday } from '../../lib/dates.js';
import { dateFlag } from '../../lib/flags.js';
import { outputFlags, printRows } from '../../lib/output.js';

export default class BlackoutsList extends InstruCommand {
  static override summary = 'List your blackout dates.';
  static override examples = ['<%= config.bin %> blackouts list', '<%= config.bin %> blackouts list --from 2026-07-01 --to 2026-12-31 --json'];
  static override flags = {
    from: dateFlag({ description: 'First date.' }),
    to: dateFlag({ description: 'Last date.' }),
    ...outputFlags,
  };

  async run() {
    const { flags } = await this.parse(BlackoutsList);
    const client = await this.client();
    const blackouts = await collect(paginate(client.blackouts.list, { ...(flags.from ? { from: flags.from } : {}), ...(flags.to ? { to: flags.to } : {}) }));
    const columns = [
      { heading: 'date', value: (b: (typeof blackouts)[number]) => `${weekday(b.date)} ${b.date}`, sortBy: (b: (typeof blackouts)[number]) => b.date },
      { heading: 'reason', value: (b: (typeof blackouts)[number]) => b.reason ?? '-' },
    ];
    printRows((t) => this.log(t), blackouts, columns, flags, 'No blackout dates.');
    return { data: blackouts };
  }
}
