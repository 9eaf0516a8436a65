import { Flags } from '@oclif/core';
import { paginate, type BookingStatus } from '@instainstru/sdk';
import { InstruCommand } from '../../lib/base-command.js';
import { collect } from '../../lib/collect.js';
import { bookingColumns } from '../../lib/describe.js';
import { dateFlag } from '../../lib/flags.js';
import { outputFlags, printRows } from '../../lib/output.js';

const STATUSES: BookingStatus[] = ['pending', 'confirmed', 'completed', 'cancelled', 'no_show'];

export default class BookingsList extends InstruCommand {
  static override summary = 'List your bookings, ordered by start (every page).';
  static override description = 'Times are in your own timezone. The student or instructor column is left out when it would show only you.';
  static override examples = [
    '<%= config.bin %> bookings list',
    '<%= config.bin %> bookings list --status confirmed --from 2026-07-01 --to 2026-07-31',
    '<%= config.bin %> bookings list --columns when,student,status --sort -when',
    '<%= config.bin %> bookings list --output csv > bookings.csv',
    '<%= config.bin %> bookings list --role student --json',
  ];
  static override flags = {
    status: Flags.option({ options: STATUSES, description: 'Only this status.' })(),
    from: dateFlag({ description: 'First date.' }),
    to: dateFlag({ description: 'Last date.' }),
    role: Flags.option({ options: ['student', 'instructor'] as const, description: 'Only bookings where you are the student, or the instructor.' })(),
    ...outputFlags,
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
    const [bookings, me] = await Promise.all([collect(paginate(client.bookings.list, query)), client.me.get()]);
    // A column that shows the user on every row says nothing (unless asked for by name).
    const always = (side: 'student' | 'instructor') => bookings.length > 0 && bookings.every((b) => b[side].id === me.id);
    const columns = bookingColumns.filter((c) => flags.columns || !((c.heading === 'student' && always('student')) || (c.heading === 'instructor' && always('instructor'))));
    printRows((t) => this.log(t), bookings, columns, flags, 'No bookings.');
    return { data: bookings };
  }
}
