import { paginate } from '@instainstru/sdk';
import { collect } from '../../lib/collect.js';
import { InstruCommand } from '../../lib/base-command.js';
import { serviceColumns } from '../../lib/describe.js';
import { outputFlags, printRows } from '../../lib/output.js';

export default class ServicesList extends InstruCommand {
  static override summary = 'List your services, active and inactive.';
  static override examples = ['<%= config.bin %> services list', '<%= config.bin %> services list --columns skill,rate --sort -rate', '<%= config.bin %> services list --json'];
  static override flags = outputFlags;

  async run() {
    const { flags } = await this.parse(ServicesList);
    const client = await this.client();
    const services = await collect(paginate(client.services.list));
    printRows((t) => this.log(t), services, serviceColumns, flags, 'No services yet: add one with `instru services add`.');
    return { data: services };
  }
}
