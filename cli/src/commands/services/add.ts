import { InstruCommand } from '../../lib/base-command.js';
import { servicesTable } from '../../lib/describe.js';
import { parseCurrency } from '../../lib/money.js';
import { serviceChanges, serviceFlags } from '../../lib/service-flags.js';

export default class ServicesAdd extends InstruCommand {
  static override summary = 'Offer a new service.';
  static override examples = [
    '<%= config.bin %> services add --skill Piano --rate 60 --durations 30,60,90 --locations in_person,online',
    '<%= config.bin %> services add --skill Yoga --rate 45.50 --currency GBP --durations 60 --locations student_home --description "Vinyasa at your place"',
  ];
  static override flags = serviceFlags(true);

  async run() {
    const { flags } = await this.parse(ServicesAdd);
    const currency = parseCurrency(flags.currency ?? 'EUR');
    const changes = serviceChanges({ ...flags, currency }, currency);
    const service = await (await this.client()).services.create({
      skill: changes.skill!,
      hourly_rate: changes.hourly_rate!,
      currency,
      durations: changes.durations!,
      location_types: changes.location_types!,
      ...(changes.description === undefined ? {} : { description: changes.description }),
    });
    this.log(servicesTable([service]));
    return service;
  }
}
