import { Args, Flags } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { deliveryColumns } from '../../lib/describe.js';
import { outputFlags, printRows } from '../../lib/output.js';

export default class WebhooksDeliveries extends InstruCommand {
  static override summary = "An endpoint's recent deliveries: status, attempts, response, duration.";
  static override description = 'Newest first. --retry DELIVERY_ID sends one of them again now (same webhook-id and body).';
  static override examples = ['<%= config.bin %> webhooks deliveries 2a3b...', '<%= config.bin %> webhooks deliveries 2a3b... --limit 5 --json', '<%= config.bin %> webhooks deliveries 2a3b... --retry 9f8e...'];
  static override args = { id: Args.string({ description: 'Endpoint id (see `instru webhooks list`).', required: true }) };
  static override flags = {
    ...outputFlags,
    limit: Flags.integer({ description: 'How many deliveries to show.', default: 20, min: 1, max: 100 }),
    retry: Flags.string({ description: 'Send this delivery again now.' }),
  };

  async run() {
    const { args, flags } = await this.parse(WebhooksDeliveries);
    const client = await this.client();
    if (flags.retry) {
      const queued = await client.webhooks.retry({ webhook_id: args.id, delivery_id: flags.retry });
      this.log(`Queued delivery ${queued.id} (${queued.event_type}) again.`);
      return queued;
    }
    const page = await client.webhooks.deliveries({ webhook_id: args.id, limit: flags.limit });
    printRows((t) => this.log(t), page.data, deliveryColumns, flags, 'No deliveries yet.');
    return page;
  }
}
