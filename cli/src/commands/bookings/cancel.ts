import { Args, Flags } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { bookingDetails } from '../../lib/describe.js';

export default class BookingsCancel extends InstruCommand {
  static override summary = 'Cancel a pending or confirmed booking.';
  static override examples = ['<%= config.bin %> bookings cancel 7d1e...', '<%= config.bin %> bookings cancel 7d1e... --reason "Ill, sorry"'];
  static override args = { id: Args.string({ description: 'Booking id.', required: true }) };
  static override flags = { reason: Flags.string({ description: 'Told to the other person.' }) };

  async run() {
    const { args, flags } = await this.parse(BookingsCancel);
    const booking = await (await this.client()).bookings.cancel({ booking_id: args.id, ...(flags.reason ? { reason: flags.reason } : {}) });
    this.log(bookingDetails(booking));
    return booking;
  }
}
