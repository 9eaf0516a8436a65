import { Args } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { bookingDetails } from '../../lib/describe.js';

export default class BookingsComplete extends InstruCommand {
  static override summary = 'Mark a lesson that took place as completed (captures the payment).';
  static override examples = ['<%= config.bin %> bookings complete 7d1e...'];
  static override args = { id: Args.string({ description: 'Booking id.', required: true }) };

  async run() {
    const { args } = await this.parse(BookingsComplete);
    const booking = await (await this.client()).bookings.complete({ booking_id: args.id });
    this.log(bookingDetails(booking));
    return booking;
  }
}
