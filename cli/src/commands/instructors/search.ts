import { Flags } from '@oclif/core';
import { paginate } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { dateFlag } from '../../lib/flags.js';
import { formatMoney, toMinorUnits } from '../../lib/money.js';
import { outputFlags, printRows } from '../../lib/output.js';

export default class InstructorsSearch extends InstruCommand {
  static override summary = 'Find published instructors (no login needed).';
  static override examples = [
    '<%= config.bin %> instructors search --skill piano --area berlin',
    '<%= config.bin %> instructors search --available-on 2026-07-15 --max-price 50 --sort price',
    '<%= config.bin %> instructors search --q jazz --json',
    '<%= config.bin %> instructors search --skill piano --output csv --columns name,price',
  ];
  static override flags = {
    q: Flags.string({ description: 'Free text (name, bio, skills).' }),
    skill: Flags.string({ description: 'Skill, e.g. Piano.' }),
    area: Flags.string({ description: 'Service area, e.g. Berlin.' }),
    'available-on': dateFlag({ description: 'Only instructors with bookable time that date.' }),
    'max-price': Flags.string({ description: 'Highest hourly rate, in main currency units (e.g. 50 = 50.00).' }),
    sort: Flags.option({ options: ['price', '-price', 'name', 'soonest'] as const, description: 'Order.' })(),
    limit: Flags.integer({ description: 'Show at most this many.', default: 20, min: 1 }),
    // --sort here is the API's order (it decides which instructors come first), not a column sort.
    output: outputFlags.output,
    columns: outputFlags.columns,
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
    type Row = (typeof found)[number];
    const columns = [
      { heading: 'id', value: (i: Row) => i.id },
      { heading: 'name', value: (i: Row) => i.full_name },
      { heading: 'skills', value: (i: Row) => i.skills.join(', ') },
      { heading: 'areas', value: (i: Row) => i.service_areas.join(', ') },
      { heading: 'from/h', key: 'price', value: (i: Row) => formatMoney(i.min_hourly_rate), sortBy: (i: Row) => i.min_hourly_rate.amount },
    ];
    printRows((t) => this.log(t), found, columns, { output: flags.output, columns: flags.columns }, 'No instructors match.');
    return { data: found };
  }
}
