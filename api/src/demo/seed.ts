import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { Services } from '../services.js';
import { addDays, todayIn, weekdayOf } from '../platform/time.js';

/** The password of every demo account (printed at start-up and in the README). */
export const DEMO_PASSWORD = 'demo-lessons-2026';
export const DEMO_STUDENT_EMAIL = 'student@demo.instainstru.dev';

type LocationType = 'in_person' | 'online' | 'student_home';
interface DemoInstructor {
  email: string;
  full_name: string;
  timezone: string;
  bio: string;
  areas: string[];
  buffer: number;
  services: { skill: string; hourly_rate: number; currency: string; durations: number[]; location_types: LocationType[] }[];
  /** Weekday (0 = Monday) -> ranges. */
  week: Record<number, [string, string][]>;
}

const INSTRUCTORS: DemoInstructor[] = [
  { email: 'anna@demo.instainstru.dev', full_name: 'Anna Schmidt', timezone: 'Europe/Berlin', bio: 'Classical and jazz piano for all ages; 15 years of teaching.', areas: ['Berlin', 'Mitte'], buffer: 15,
    services: [{ skill: 'Piano', hourly_rate: 6000, currency: 'EUR', durations: [30, 45, 60], location_types: ['in_person', 'online'] }],
    week: { 0: [['09:00', '12:00'], ['14:00', '18:00']], 2: [['09:00', '12:00']], 4: [['13:00', '19:00']] } },
  { email: 'marco@demo.instainstru.dev', full_name: 'Marco Rossi', timezone: 'Europe/Rome', bio: 'Vinyasa and hatha yoga; beginners welcome.', areas: ['Rome', 'Trastevere'], buffer: 0,
    services: [{ skill: 'Yoga', hourly_rate: 4500, currency: 'EUR', durations: [60, 90], location_types: ['in_person', 'student_home'] }],
    week: { 1: [['07:00', '10:00']], 3: [['07:00', '10:00'], ['18:00', '21:00']], 5: [['09:00', '12:00']] } },
  { email: 'sarah@demo.instainstru.dev', full_name: 'Sarah Johnson', timezone: 'America/New_York', bio: 'Competitive swimmer turned coach: technique, endurance, water confidence.', areas: ['New York', 'Brooklyn'], buffer: 30,
    services: [{ skill: 'Swimming', hourly_rate: 8000, currency: 'USD', durations: [45, 60], location_types: ['in_person'] }],
    week: { 0: [['06:00', '09:00']], 2: [['06:00', '09:00']], 5: [['10:00', '14:00']] } },
  { email: 'kenji@demo.instainstru.dev', full_name: 'Kenji Tanaka', timezone: 'Asia/Tokyo', bio: 'Mathematics and physics tutoring for high school and university.', areas: ['Tokyo', 'Shibuya'], buffer: 10,
    services: [
      { skill: 'Math Tutoring', hourly_rate: 5000, currency: 'JPY', durations: [60, 90, 120], location_types: ['online', 'in_person'] },
      { skill: 'Physics Tutoring', hourly_rate: 5500, currency: 'JPY', durations: [60, 90], location_types: ['online'] },
    ],
    week: { 0: [['17:00', '21:00']], 1: [['17:00', '21:00']], 3: [['17:00', '21:00']], 6: [['10:00', '16:00']] } },
  { email: 'lucia@demo.instainstru.dev', full_name: 'Lucía García', timezone: 'Europe/Madrid', bio: 'Spanish guitar, flamenco and music theory.', areas: ['Madrid', 'Online'], buffer: 15,
    services: [{ skill: 'Guitar', hourly_rate: 3500, currency: 'EUR', durations: [30, 60], location_types: ['online', 'student_home'] }],
    week: { 1: [['10:00', '13:00'], ['16:00', '20:00']], 2: [['16:00', '20:00']], 4: [['10:00', '14:00']] } },
  { email: 'oliver@demo.instainstru.dev', full_name: 'Oliver Brown', timezone: 'Europe/London', bio: 'English conversation and exam preparation (IELTS, Cambridge).', areas: ['London', 'Online'], buffer: 5,
    services: [{ skill: 'English', hourly_rate: 4000, currency: 'GBP', durations: [30, 60], location_types: ['online'] }],
    week: { 0: [['08:00', '12:00']], 1: [['08:00', '12:00']], 2: [['08:00', '12:00']], 3: [['08:00', '12:00']], 4: [['08:00', '11:00']] } },
  { email: 'priya@demo.instainstru.dev', full_name: 'Priya Patel', timezone: 'America/Los_Angeles', bio: 'Watercolour and drawing for beginners and hobbyists.', areas: ['Los Angeles', 'Santa Monica'], buffer: 0,
    services: [{ skill: 'Drawing', hourly_rate: 5500, currency: 'USD', durations: [60, 120], location_types: ['in_person', 'online'] }],
    week: { 3: [['13:00', '17:00']], 5: [['09:00', '13:00']], 6: [['09:00', '13:00']] } },
];

/** Creates demo instructors (published, 4 weeks of availability) and a demo student in an empty database. */
export async function seedDemo(db: Db, services: Services, clock: Clock, travel?: (ms: number) => void): Promise<{ instructors: number; instructorEmails: string[]; student: string; password: string; widgetInstructorId: string; lessons: number } | null> {
  if ((await db.models.User.count()) > 0) return null;
  let widgetInstructorId = '';
  // Demo history (a lesson already given) is booked "four days ago": the clock goes back while seeding.
  travel?.(-HISTORY_DAYS * 86_400_000);
  const ids: Record<string, string> = {};
  for (const d of INSTRUCTORS) {
    const { user } = await services.accounts.register({ email: d.email, password: DEMO_PASSWORD, full_name: d.full_name, role: 'instructor', timezone: d.timezone });
    ids[d.email] = user.id;
    await services.instructors.updateProfile(user.id, { bio: d.bio, service_areas: d.areas, buffer_minutes: d.buffer, min_advance_hours: 2, published: true, timezone: d.timezone });
    for (const s of d.services) await services.instructors.createService(user.id, { ...s, description: `${s.skill} lessons with ${d.full_name}` });
    const today = todayIn(d.timezone, clock.now());
    const days = Array.from({ length: 28 + HISTORY_DAYS }, (_, i) => addDays(today, i)).map((date) => {
      return { date, ranges: (d.week[weekdayOf(date)] ?? []).map(([start_time, end_time]) => ({ start_time, end_time })) };
    });
    await services.availability.saveDays(user.id, days);
    widgetInstructorId ||= user.id;
  }
  const { user: student } = await services.accounts.register({ email: DEMO_STUDENT_EMAIL, password: DEMO_PASSWORD, full_name: 'Sam Student', role: 'student', timezone: 'Europe/Berlin' });
  // Lessons are paid: the demo student has a saved test card (the offline processor accepts Stripe's test ids).
  await services.cards.attach({ userId: student.id, role: 'student' }, 'pm_card_visa');
  const lessons = travel ? await demoLessons(services, clock, travel, { userId: student.id, role: 'student' }, ids) : 0;
  return { instructors: INSTRUCTORS.length, instructorEmails: INSTRUCTORS.map((i) => i.email), student: DEMO_STUDENT_EMAIL, password: DEMO_PASSWORD, widgetInstructorId, lessons };
}

const HISTORY_DAYS = 4;

/**
 * Paid lessons through the offline processor: one given in the last four days (completed: captured),
 * one late-cancelled (the policy's fee captured), one held this week and one further out
 * (card saved, authorized before it). Runs with the clock four days back, and puts it back.
 */
async function demoLessons(services: Services, clock: Clock, travel: (ms: number) => void, student: { userId: string; role: 'student' }, ids: Record<string, string>): Promise<number> {
  const firstStart = async (email: string, fromDay: number, duration: number) => {
    const id = ids[email]!;
    const tz = INSTRUCTORS.find((i) => i.email === email)!.timezone;
    const from = addDays(todayIn(tz, clock.now()), fromDay);
    const { days } = await services.publicInstructors.availability(id, from, addDays(from, 13), duration);
    const day = days.find((d) => (d.start_times ?? []).length > 0);
    return day ? { date: day.date, start_time: day.start_times![0]! } : null;
  };
  const book = async (email: string, fromDay: number, duration: number, location: LocationType) => {
    const at = await firstStart(email, fromDay, duration);
    const service = (await services.instructors.listServices(ids[email]!, 1)).data[0];
    if (!at || !service) return null;
    return services.bookings.create(student, { instructor_id: ids[email]!, service_id: service.id, ...at, duration_minutes: duration, location_type: location });
  };
  let count = 0;
  // Oliver teaches every weekday morning: a lesson within the last four days is always there (three are not: Friday to Monday is 71 h over the October clock change).
  const past = await book('oliver@demo.instainstru.dev', 0, 60, 'online');
  travel(HISTORY_DAYS * 86_400_000);
  if (past && new Date(past.start_at) < clock.now()) {
    await services.bookings.finish({ userId: past.instructor_id, role: 'instructor' }, past.id, 'completed');
    count++;
  }
  // Anna charges half the price for cancelling within a week; the student cancels right away.
  await services.instructors.updateProfile(ids['anna@demo.instainstru.dev']!, { cancellation_policy: [{ hours_before: 168, fee_percent: 0 }, { hours_before: 0, fee_percent: 50 }] });
  const late = await book('anna@demo.instainstru.dev', 0, 60, 'online');
  if (late) {
    await services.bookings.cancel(student, late.id, 'Demo: cancelled late, the fee is charged');
    count++;
  }
  if (await book('anna@demo.instainstru.dev', 1, 60, 'online')) count++;
  if (await book('marco@demo.instainstru.dev', 10, 60, 'in_person')) count++;
  return count;
}
