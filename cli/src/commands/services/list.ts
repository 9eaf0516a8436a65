import { paginate } from '@instainstru/sdk';
import { collect } from '../../lib/collect.js';
import { InstruCommand } from '../../lib/base-command.js';
import { servicesTable } from '../../lib/describe.js';

export default class ServicesList extends InstruCommand {
  static override summary = 'List your services, active and inactive.';
  static override examples = ['<%= config.bin %> services list', '<%= config.bin %> services list --json'];

  async run() {
    await this.parse(ServicesList);
    const client = await this.client();
    const services = await collect(paginate(client.services.list));
    this.log(services.length === 0 ? 'No services yet: add one with `instru services add`.' : servicesTable(services));
    return { data: services };
  }
}
