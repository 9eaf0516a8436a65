import { DateTime } from 'luxon';
import type { Clock } from '../platform/clock.js';
import type { AccountRepository } from '../accounts/repository.js';
import type { InstructorRepository } from '../instructors/repository.js';
import type { Role } from '../platform/tokens.js';
import type { BookingRepository } from './repository.js';
import type { BookingService } from './service.js';

const STATUSES = ['pending', 'confirmed', 'completed', 'cancelled', 'no_show'] as const;

/** The home screen: an instructor's coming lessons and month, a student's upcoming lessons and history. */
export function dashboardService(deps: { clock: Clock; bookings: BookingRepository; accounts: AccountRepository; instructors: InstructorRepository; bookingService: BookingService }) {
  const { clock, bookings, accounts, instructors, bookingService } = deps;
  return {
    async forUser(actor: { userId: string; role: Role }) {
      const user = await accounts.findUserById(actor.userId);
      const now = clock.now();
      if (actor.role === 'instructor') {
        const profile = await instructors.findProfile(actor.userId);
        const timezone = profile?.timezone ?? user?.timezone ?? 'UTC';
        const local = DateTime.fromJSDate(now, { zone: timezone });
        const dayStart = local.startOf('day');
        const tomorrow = dayStart.plus({ days: 1 });
        const weekEnd = tomorrow.plus({ days: 7 });
        const monthStart = local.startOf('month');
        const monthEnd = monthStart.plus({ months: 1 });
        const upcoming = (await bookings.forUserBetween(actor.userId, 'instructor', dayStart.toJSDate(), weekEnd.toJSDate())).filter((b) => b.status !== 'cancelled');
        const month = await bookings.forUserBetween(actor.userId, 'instructor', monthStart.toJSDate(), monthEnd.toJSDate());
        const counts = Object.fromEntries(STATUSES.map((s) => [s, month.filter((b) => b.status === s).length])) as Record<(typeof STATUSES)[number], number>;
        // Earnings: completed lessons (late-cancellation fees join this once payments land).
        const completed = month.filter((b) => b.status === 'completed');
        const earnings = { amount: completed.reduce((sum, b) => sum + b.price_amount, 0), currency: completed[0]?.currency ?? 'EUR' };
        const views = async (rows: typeof upcoming) => Promise.all(rows.map((b) => bookingService.view(b)));
        return {
          role: 'instructor' as const,
          timezone,
          today: await views(upcoming.filter((b) => new Date(b.start_at) < tomorrow.toJSDate())),
          next_7_days: await views(upcoming.filter((b) => new Date(b.start_at) >= tomorrow.toJSDate())),
          month: { counts, earnings },
        };
      }
      const far = new Date(now.getTime() + 366 * 86_400_000);
      const upcoming = (await bookings.forUserBetween(actor.userId, 'student', now, far)).filter((b) => b.status === 'pending' || b.status === 'confirmed');
      const all = await bookings.countByStatus(actor.userId, 'student');
      return {
        role: actor.role === 'admin' ? ('admin' as const) : ('student' as const),
        timezone: user?.timezone ?? 'UTC',
        upcoming: await Promise.all(upcoming.slice(0, 50).map((b) => bookingService.view(b))),
        history: { completed: all.completed ?? 0, cancelled: all.cancelled ?? 0, no_show: all.no_show ?? 0 },
      };
    },
  };
}
