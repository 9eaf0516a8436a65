import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { changeFlags, confirmChange } from '../../lib/confirm.js';

export default class WebhooksRemove extends InstruCommand {
  static override summary = 'Delete a webhook endpoint; nothing more is sent to it.';
  static override description = 'Shows the endpoint and asks first (--yes skips the question, --dry-run only shows it).';
  static override examples = ['<%= config.bin %> webhooks remove 2a3b...', '<%= config.bin %> webhooks remove 2a3b... --yes'];
  static override args = { id: Args.string({ description: 'Endpoint id (see `instru webhooks list`).', required: true }) };
  static override flags = changeFlags;

  async run() {
    const { args, flags } = await this.parse(WebhooksRemove);
    const client = await this.client();
    const hook = await client.webhooks.get({ webhook_id: args.id });
    const change = { summary: `Deletes the webhook endpoint ${hook.url} (${hook.events.join(', ')}): its pending retries are dropped too.` };
    if (!(await confirmChange((t) => this.log(t), { ...flags, json: this.jsonEnabled() }, change))) return { dry_run: true, change };
    await client.webhooks.remove({ webhook_id: args.id });
    this.log(`Deleted webhook endpoint ${args.id}.`);
    return { id: args.id, deleted: true };
  }
}
