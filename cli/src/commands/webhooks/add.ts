import { Flags } from '@oclif/core';
import type { WebhookEventType } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { CliProblem } from '../../lib/problem.js';
import { table } from '../../lib/table.js';
import { webhookColumns } from '../../lib/describe.js';

const EVENTS: readonly WebhookEventType[] = [
  'booking.created',
  'booking.confirmed',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.completed',
  'booking.no_show',
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'payment.refunded',
  'lesson.reminder',
];

export default class WebhooksAdd extends InstruCommand {
  static override summary = 'Register a webhook endpoint; its signing secret is shown once.';
  static override description = 'InstaInstru POSTs signed events (Standard Webhooks) about your bookings to the URL. It must be https (outside production, http://127.0.0.1:PORT works for a receiver on your machine). Verify them with verifyWebhook from @instainstru/sdk (docs/webhooks.md).';
  static override examples = [
    '<%= config.bin %> webhooks add --url https://hooks.example.com/instainstru --event booking.created --event booking.cancelled',
    '<%= config.bin %> webhooks add --url http://127.0.0.1:4000/hooks --all-events --description "local test"',
  ];
  static override flags = {
    url: Flags.string({ description: 'Where events are POSTed.', required: true }),
    event: Flags.option({ options: EVENTS, description: 'An event to receive (repeatable).', multiple: true })(),
    'all-events': Flags.boolean({ description: 'Receive every event type.', exclusive: ['event'] }),
    description: Flags.string({ description: 'What the endpoint is for.' }),
  };

  async run() {
    const { flags } = await this.parse(WebhooksAdd);
    const events = flags['all-events'] ? [...EVENTS] : (flags.event ?? []);
    if (events.length === 0) throw new CliProblem('missing_input', 'No events to receive', 'Pick them with --event (repeatable) or --all-events.');
    const hook = await (await this.client()).webhooks.create({ url: flags.url, events, ...(flags.description ? { description: flags.description } : {}) });
    this.log(table([hook], webhookColumns));
    this.log('');
    this.log(`Secret: ${hook.secret}`);
    this.log('Warning: this is the only time the secret is shown. Give it to your receiver now (verifyWebhook(body, headers, secret)).');
    return hook;
  }
}
