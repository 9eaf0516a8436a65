import { Flags } from '@oclif/core';
import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { dateFlag } from '../../lib/flags.js';
import { formatMoney, toMinorUnits } from '../../lib/money.js';
import { table } from '../../lib/table.js';

export default class InstructorsSearch extends InstruCommand {
  static override summary = 'Find published instructors (no login needed).';
  static override examples = [
    '<%= config.bin %> instructors search --skill piano --area berlin',
    '<%= config.bin %> instructors search --available-on 2026-07-15 --max-price 50 --sort price',
    '<%= config.bin %> instructors search --q jazz --json',
  ];
  static override flags = {
    q: Flags.string({ description: 'Free text (name, bio, skills).' }),
    skill: Flags.string({ description: 'Skill, e.g. Piano.' }),
    area: Flags.string({ description: 'Service area, e.g. Berlin.' }),
    'available-on': dateFlag({ description: 'Only instructors with bookable time that date.' }),
    'max-price': Flags.string({ description: 'Highest hourly rate, in main currency units (e.g. 50 = 50.00).' }),
    sort: Flags.option({ options: ['price', '-price', 'name', 'soonest'] as const, description: 'Order.' })(),
    limit: Flags.integer({ description: 'Show at most this many.', default: 20, min: 1 }),
  };

  async run() {
    const { flags } = await this.parse(InstructorsSearch);
    const client = await this.anonymousClient();
    const query = {
      ...(flags.q ? { q: flags.q } : {}),
      ...(flags.skill ? { skill: flags.skill } : {}),
      ...(flags.area ? { area: flags.area } : {}),
      ...(flags['available-on'] ? { available_on: flags['available-on'] } : {}),
      // Search compares minor units; rates are cents-based in every currency the demo uses.
      ...(flags['max-price'] ? { max_price: toMinorUnits(flags['max-price'], 'EUR', '--max-price') } : {}),
      ...(flags.sort ? { sort: flags.sort } : {}),
    };
    const found = [];
    for await (const instructor of paginate(client.instructors.search, query)) {
      found.push(instructor);
      if (found.length >= flags.limit) break;
    }
    this.log(
      found.length === 0
        ? 'No instructors match.'
        : table(found, [
            { heading: 'id', value: (i) => i.id },
            { heading: 'name', value: (i) => i.full_name },
            { heading: 'skills', value: (i) => i.skills.join(', ') },
            { heading: 'areas', value: (i) => i.service_areas.join(', ') },
            { heading: 'from/h', value: (i) => formatMoney(i.min_hourly_rate) },
          ]),
    );
    return { data: found };
  }
}
