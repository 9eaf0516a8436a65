import { Args } from '@oclif/core';
import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { changeFlags, confirmChange } from '../../lib/confirm.js';
import { servicesTable } from '../../lib/describe.js';
import { formatMoney } from '../../lib/money.js';

export default class ServicesRemove extends InstruCommand {
  static override summary = 'Remove a service (one with bookings is deactivated instead, so its bookings stay).';
  static override description = 'Shows the service and asks first (--yes skips the question, --dry-run only shows it).';
  static override examples = ['<%= config.bin %> services remove 3f0c...', '<%= config.bin %> services remove 3f0c... --yes'];
  static override args = { id: Args.string({ description: 'Service id (see `instru services list`).', required: true }) };
  static override flags = changeFlags;

  async run() {
    const { args, flags } = await this.parse(ServicesRemove);
    const client = await this.client();
    let described = `the service ${args.id}`;
    for await (const s of paginate(client.services.list)) {
      if (s.id === args.id) described = `the service ${s.skill} (${formatMoney({ amount: s.hourly_rate, currency: s.currency })}/h, ${s.durations.join(',')} min)`;
    }
    const change = { summary: `Removes ${described}; if bookings use it, it is deactivated instead.` };
    if (!(await confirmChange((t) => this.log(t), { ...flags, json: this.jsonEnabled() }, change))) return { dry_run: true, change };
    const kept = await client.services.remove({ service_id: args.id });
    if (kept) {
      this.log('It has bookings, so it was deactivated (its bookings stay):');
      this.log(servicesTable([kept]));
      return { id: args.id, removed: false, service: kept };
    }
    this.log(`Removed ${described}.`);
    return { id: args.id, removed: true };
  }
}
