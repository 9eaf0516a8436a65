import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { collect } from '../../lib/collect.js';
import { webhookColumns } from '../../lib/describe.js';
import { outputFlags, printRows } from '../../lib/output.js';

export default class WebhooksList extends InstruCommand {
  static override summary = 'List your webhook endpoints.';
  static override examples = ['<%= config.bin %> webhooks list', '<%= config.bin %> webhooks list --columns id,url,status', '<%= config.bin %> webhooks list --json'];
  static override flags = outputFlags;

  async run() {
    const { flags } = await this.parse(WebhooksList);
    const hooks = await collect(paginate((await this.client()).webhooks.list));
    printRows((t) => this.log(t), hooks, webhookColumns, flags, 'No webhook endpoints.');
    return { data: hooks };
  }
}
