import type { Transaction } from 'sequelize';
import type { BookingRepository } from './repository.js';

/** Told of each entry written to a booking's history, inside the transaction that writes it. */
export type BookingChangeListener = (tx: Transaction, change: string, bookingId: string) => Promise<void>;

/**
 * The booking repository, announcing every history entry (created, rescheduled, cancelled, ...)
 * to a listener in the same transaction: every change writes one, so a listener (the webhook
 * outbox) cannot miss a change, and what it records commits or rolls back with the change.
 */
export function announcingChanges(repo: BookingRepository, listener: BookingChangeListener): BookingRepository {
  return {
    ...repo,
    async addEvent(bookingId, type, actorId, data, tx) {
      await repo.addEvent(bookingId, type, actorId, data, tx);
      await listener(tx, type, bookingId);
    },
  };
}
