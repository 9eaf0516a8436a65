import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { bookingDetails } from '../../lib/describe.js';

export default class BookingsShow extends InstruCommand {
  static override summary = 'Show one booking.';
  static override examples = ['<%= config.bin %> bookings show 7d1e...'];
  static override args = { id: Args.string({ description: 'Booking id (see `instru bookings list`).', required: true }) };

  async run() {
    const { args } = await this.parse(BookingsShow);
    const booking = await (await this.client()).bookings.get({ booking_id: args.id });
    this.log(bookingDetails(booking));
    return booking;
  }
}
