import type { JobScheduler } from '../jobs/service.js';
import type { BookingRepository } from './repository.js';

/** The job that tells the rest of the platform (webhooks, reminders) of one entry of a booking's history. */
export const BOOKING_CHANGED_JOB = 'booking.changed';

export interface BookingChanged {
  booking_id: string;
  change: string;
}

/**
 * The booking repository, announcing every history entry (created, rescheduled, cancelled, ...)
 * through an outbox: the entry and a `booking.changed` job are written in the change's own
 * transaction (one row each), so no change can be missed and a refused change announces nothing;
 * the listeners (webhook deliveries, reminders) run after commit, outside the booking's write lock.
 */
export function announcingChanges(repo: BookingRepository, jobs: Pick<JobScheduler, 'enqueueMany'>): BookingRepository {
  return {
    ...repo,
    async addEvent(bookingId, type, actorId, data, tx) {
      await repo.addEvent(bookingId, type, actorId, data, tx);
      await jobs.enqueueMany(BOOKING_CHANGED_JOB, [{ booking_id: bookingId, change: type } satisfies BookingChanged], tx);
    },
  };
}
