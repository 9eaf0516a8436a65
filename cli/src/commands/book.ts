import { Flags } from '@oclif/core';
import type { LocationType } from '@instainstru/sdk';
import { InstruCommand } from '../lib/base-command.js';
import { bookingDetails } from '../lib/describe.js';
import { dateFlag, timeFlag } from '../lib/flags.js';

export default class Book extends InstruCommand {
  static override summary = 'Book a lesson with an instructor (as a student).';
  static override description = "Date and time are in the instructor's timezone. See free start times with `instru instructors availability`.";
  static override examples = [
    '<%= config.bin %> book --instructor 0b6f... --service 9a1c... --date 2026-07-15 --time 10:00 --duration 60 --location online',
    '<%= config.bin %> book --instructor 0b6f... --service 9a1c... --date 2026-07-15 --time 10:00 --duration 60 --location in_person --note "First lesson"',
  ];
  static override flags = {
    instructor: Flags.string({ description: 'Instructor id.', required: true }),
    service: Flags.string({ description: 'Service id (see the instructor in `instru instructors search --json`).', required: true }),
    date: dateFlag({ description: 'Date.', required: true }),
    time: timeFlag({ description: 'Start time.', required: true }),
    duration: Flags.integer({ description: 'Length in minutes (one the service offers).', required: true, min: 1 }),
    location: Flags.option({ options: ['in_person', 'online', 'student_home'] as const, description: 'Where the lesson happens.', required: true })(),
    note: Flags.string({ description: 'A note for the instructor.' }),
  };

  async run() {
    const { flags } = await this.parse(Book);
    const booking = await (await this.client()).bookings.create({
      instructor_id: flags.instructor,
      service_id: flags.service,
      date: flags.date,
      start_time: flags.time,
      duration_minutes: flags.duration,
      location_type: flags.location as LocationType,
      ...(flags.note ? { note: flags.note } : {}),
    });
    this.log(bookingDetails(booking));
    return booking;
  }
}
