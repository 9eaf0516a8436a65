import { Args, Flags } from '@oclif/core';
import { InstruCommand } from '../../lib/base-command.js';
import { bookingDetails } from '../../lib/describe.js';
import { dateFlag, timeFlag } from '../../lib/flags.js';

export default class BookingsReschedule extends InstruCommand {
  static override summary = 'Move a booking to another date and time (same checks as booking).';
  static override examples = ['<%= config.bin %> bookings reschedule 7d1e... --date 2026-07-16 --time 10:00', '<%= config.bin %> bookings reschedule 7d1e... --date 2026-07-16 --time 10:00 --duration 90'];
  static override args = { id: Args.string({ description: 'Booking id.', required: true }) };
  static override flags = {
    date: dateFlag({ description: "New date, in the instructor's timezone.", required: true }),
    time: timeFlag({ description: 'New start time.', required: true }),
    duration: Flags.integer({ description: 'New length in minutes [default: unchanged].', min: 1 }),
  };

  async run() {
    const { args, flags } = await this.parse(BookingsReschedule);
    const booking = await (await this.client()).bookings.reschedule({
      booking_id: args.id,
      date: flags.date,
      start_time: flags.time,
      ...(flags.duration ? { duration_minutes: flags.duration } : {}),
    });
    this.log(bookingDetails(booking));
    return booking;
  }
}
