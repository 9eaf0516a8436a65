import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { bookingDetails } from '../../lib/describe.js';

export default class BookingsNoShow extends InstruCommand {
  static override summary = 'Mark a lesson the student missed.';
  static override examples = ['<%= config.bin %> bookings no-show 7d1e...'];
  static override args = { id: Args.string({ description: 'Booking id.', required: true }) };

  async run() {
    const { args } = await this.parse(BookingsNoShow);
    const booking = await (await this.client()).bookings.noShow({ booking_id: args.id });
    this.log(bookingDetails(booking));
    return booking;
  }
}
