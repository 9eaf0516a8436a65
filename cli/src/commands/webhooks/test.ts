import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';

export default class WebhooksTest extends InstruCommand {
  static override summary = 'Send a webhook.test event to an endpoint.';
  static override description = 'Signed like every event; follow it with `instru webhooks deliveries ID`.';
  static override examples = ['<%= config.bin %> webhooks test 2a3b...'];
  static override args = { id: Args.string({ description: 'Endpoint id (see `instru webhooks list`).', required: true }) };

  async run() {
    const { args } = await this.parse(WebhooksTest);
    const delivery = await (await this.client()).webhooks.test({ webhook_id: args.id });
    this.log(`Queued test event ${delivery.event_id} (delivery ${delivery.id}). See it with: instru webhooks deliveries ${args.id}`);
    return delivery;
  }
}
