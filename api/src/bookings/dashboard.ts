import { DateTime } from 'luxon';
import type { Clock } from '../platform/clock.js';
import type { AccountRepository } from '../accounts/repository.js';
import type { InstructorRepository } from '../instructors/repository.js';
import type { Role } from '../platform/tokens.js';
import type { BookingRepository } from './repository.js';
import type { BookingService } from './service.js';
import type { PaymentService } from '../payments/service.js';

const STATUSES = ['pending', 'confirmed', 'completed', 'cancelled', 'no_show'] as const;

/** The home screen: an instructor's coming lessons and month, a student's upcoming lessons and history. */
export function dashboardService(deps: { clock: Clock; bookings: BookingRepository; accounts: AccountRepository; instructors: InstructorRepository; bookingService: BookingService; payments: Pick<PaymentService, 'findMany'> }) {
  const { clock, bookings, accounts, instructors, bookingService, payments } = deps;
  /** Sums per currency, largest first (an empty list when there is nothing). */
  const byCurrency = (items: { amount: number; currency: string }[]) => {
    const sums = new Map<string, number>();
    for (const i of items) if (i.amount > 0) sums.set(i.currency, (sums.get(i.currency) ?? 0) + i.amount);
    return [...sums].map(([currency, amount]) => ({ amount, currency })).sort((a, b) => b.amount - a.amount);
  };
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
        // Earnings: money captured (lesson prices, no-show and cancellation fees) less refunds, by currency.
        const paid = await payments.findMany(month.map((b) => b.id));
        const earned = byCurrency([...paid.values()].map((p) => ({ amount: p.captured_amount - p.refunded_amount, currency: p.currency })));
        const earnings = earned[0] ?? { amount: 0, currency: month[0]?.currency ?? 'EUR' };
        const views = async (rows: typeof upcoming) => Promise.all(rows.map((b) => bookingService.view(b)));
        return {
          role: 'instructor' as const,
          timezone,
          today: await views(upcoming.filter((b) => new Date(b.start_at) < tomorrow.toJSDate())),
          next_7_days: await views(upcoming.filter((b) => new Date(b.start_at) >= tomorrow.toJSDate())),
          month: { counts, earnings, earnings_by_currency: earned },
        };
      }
      const far = new Date(now.getTime() + 366 * 86_400_000);
      const upcoming = (await bookings.forUserBetween(actor.userId, 'student', now, far)).filter((b) => b.status === 'pending' || b.status === 'confirmed');
      const all = await bookings.countByStatus(actor.userId, 'student');
      return {
        role: actor.role === 'admin' ? ('admin' as const) : ('student' as const),
        timezone: user?.timezone ?? 'UTC',
        upcoming: await Promise.all(upcoming.slice(0, 50).map((b) => bookingService.view(b, undefined, actor.userId))),
        // What is held on the student's card for coming lessons, by currency.
        holds: byCurrency([...(await payments.findMany(upcoming.map((b) => b.id))).values()].map((p) => ({ amount: p.authorized_amount, currency: p.currency }))),
        history: { completed: all.completed ?? 0, cancelled: all.cancelled ?? 0, no_show: all.no_show ?? 0 },
      };
    },
  };
}
