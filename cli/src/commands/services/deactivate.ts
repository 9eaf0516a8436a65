import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { servicesTable } from '../../lib/describe.js';

export default class ServicesDeactivate extends InstruCommand {
  static override summary = 'Stop offering a service (existing bookings stay; `services update <id> --active` brings it back).';
  static override examples = ['<%= config.bin %> services deactivate 3f0c...'];
  static override args = { id: Args.string({ description: 'Service id (see `instru services list`).', required: true }) };

  async run() {
    const { args } = await this.parse(ServicesDeactivate);
    const service = await (await this.client()).services.update({ service_id: args.id, active: false });
    this.log(servicesTable([service]));
    return service;
  }
}
