// Books the first free Piano lesson as the demo student.
// Run against `npm start` (demo data): INSTAINSTRU_URL=http://127.0.0.1:8000 npx tsx sdk/examples/book-a-lesson.ts
// In your project: import { createClient, InstaInstruError, paginate } from '@instainstru/sdk';
import { createClient, InstaInstruError, paginate } from '../src/index.js';

const client = createClient({ baseUrl: process.env.INSTAINSTRU_URL ?? 'http://127.0.0.1:8000' });

// The client keeps the session from now on (it refreshes the access token by itself).
const { user } = await client.auth.login({ email: 'student@demo.instainstru.dev', password: 'demo-lessons-2026' });
console.log(`Signed in as ${user.full_name}`);

const { data: instructors } = await client.instructors.search({ skill: 'Piano', sort: 'soonest' });
const teacher = instructors[0];
if (!teacher) throw new Error('No piano instructor found; is the demo data loaded?');
const { services } = await client.instructors.get({ instructor_id: teacher.id });
const service = services.find((s) => s.skill === 'Piano') ?? services[0]!;
const duration = service.durations.includes(60) ? 60 : service.durations[0]!;
console.log(`Instructor: ${teacher.full_name} (${service.skill}, ${duration} min)`);

const from = new Date();
const to = new Date(from.getTime() + 13 * 86_400_000);
const { days } = await client.instructors.availability({
  instructor_id: teacher.id,
  from: from.toISOString().slice(0, 10),
  to: to.toISOString().slice(0, 10),
  duration_minutes: duration,
});
const day = days.find((d) => (d.start_times ?? []).length > 0);
if (!day) throw new Error('No free time in the next two weeks.');
const lesson = {
  instructor_id: teacher.id,
  service_id: service.id,
  date: day.date,
  start_time: day.start_times![0]!,
  duration_minutes: duration,
  location_type: service.location_types[0]!,
};

const booking = await client.bookings.create(lesson);
console.log(`Booked ${booking.date} ${booking.start_time}-${booking.end_time} (${booking.timezone}) for ${booking.price.amount / 100} ${booking.price.currency}`);

// Booking the same time again (a new request, so a new Idempotency-Key) is a conflict.
try {
  await client.bookings.create(lesson);
} catch (error) {
  if (!(error instanceof InstaInstruError)) throw error;
  switch (error.code) {
    case 'instructor_conflict':
    case 'student_conflict':
      console.log(`Conflict as expected (${error.code}): busy ${error.conflict?.start_at} .. ${error.conflict?.end_at}`);
      break;
    case 'outside_availability':
    case 'too_soon':
      console.log(`That time is no longer bookable: ${error.detail}`);
      break;
    default:
      throw error;
  }
}

console.log('Upcoming confirmed lessons:');
for await (const b of paginate(client.bookings.list, { role: 'student', status: 'confirmed', limit: 5 })) {
  console.log(`  ${b.date} ${b.start_time} ${b.skill} with ${b.instructor.full_name}`);
}

// Tidy up so the demo stays bookable.
await client.bookings.cancel({ booking_id: booking.id, reason: 'SDK example run' });
console.log('Cancelled the example booking again.');
