import { Args, Flags } from '@oclif/core';
import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { servicesTable } from '../../lib/describe.js';
import { parseCurrency } from '../../lib/money.js';
import { CliProblem } from '../../lib/problem.js';
import { serviceChanges, serviceFlags } from '../../lib/service-flags.js';

export default class ServicesUpdate extends InstruCommand {
  static override summary = 'Change a service; flags you leave out keep their values.';
  static override examples = [
    '<%= config.bin %> services update 3f0c... --rate 65',
    '<%= config.bin %> services update 3f0c... --durations 45,60 --active',
  ];
  static override args = { id: Args.string({ description: 'Service id (see `instru services list`).', required: true }) };
  static override flags = {
    ...serviceFlags(false),
    active: Flags.boolean({ description: 'Offer it again (or --no-active to stop offering it).', allowNo: true }),
  };

  async run() {
    const { args, flags } = await this.parse(ServicesUpdate);
    const client = await this.client();
    // A rate is typed in main units of the service's currency, so the currency must be known.
    let currency = flags.currency === undefined ? undefined : parseCurrency(flags.currency);
    if (flags.rate !== undefined && currency === undefined) {
      for await (const s of paginate(client.services.list)) if (s.id === args.id) currency = s.currency;
    }
    const changes = { ...serviceChanges(flags, currency ?? 'EUR'), ...(flags.active === undefined ? {} : { active: flags.active }) };
    if (Object.keys(changes).length === 0) throw new CliProblem('missing_input', 'Nothing to change', 'Pass at least one flag, e.g. --rate or --active.');
    const service = await client.services.update({ service_id: args.id, ...changes });
    this.log(servicesTable([service]));
    return service;
  }
}
