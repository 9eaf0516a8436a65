import { Flags } from '@oclif/core';
import { paginate, type BookingStatus } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { collect } from '../../lib/collect.js';
import { bookingsTable } from '../../lib/describe.js';
import { dateFlag } from '../../lib/flags.js';

const STATUSES: BookingStatus[] = ['pending', 'confirmed', 'completed', 'cancelled', 'no_show'];

export default class BookingsList extends InstruCommand {
  static override summary = 'List your bookings, ordered by start (every page).';
  static override examples = [
    '<%= config.bin %> bookings list',
    '<%= config.bin %> bookings list --status confirmed --from 2026-07-01 --to 2026-07-31',
    '<%= config.bin %> bookings list --role student --json',
  ];
  static override flags = {
    status: Flags.option({ options: STATUSES, description: 'Only this status.' })(),
    from: dateFlag({ description: 'First date.' }),
    to: dateFlag({ description: 'Last date.' }),
    role: Flags.option({ options: ['student', 'instructor'] as const, description: 'Only bookings where you are the student, or the instructor.' })(),
  };

  async run() {
    const { flags } = await this.parse(BookingsList);
    const client = await this.client();
    const query = {
      ...(flags.status ? { status: flags.status } : {}),
      ...(flags.from ? { from: flags.from } : {}),
      ...(flags.to ? { to: flags.to } : {}),
      ...(flags.role ? { role: flags.role } : {}),
    };
    const bookings = await collect(paginate(client.bookings.list, query));
    this.log(bookings.length === 0 ? 'No bookings.' : bookingsTable(bookings));
    return { data: bookings };
  }
}
