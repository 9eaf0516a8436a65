import { Op, type Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import { iso, toDate } from '../platform/time.js';

/** The active statuses: these hold the instructor's and the student's time. */
export const ACTIVE_STATUSES = ['pending', 'confirmed'] as const;

export interface BookingTimeRow {
  id: string;
  status: string;
  date: string;
  start_time: string;
  end_time: string;
  start_at: string;
  end_at: string;
}

type Raw = Record<string, unknown>;

/** The booking columns that place it in time. */
export function toBookingTime(r: Raw): BookingTimeRow {
  return {
    id: r.id as string,
    status: r.status as string,
    date: String(r.date),
    start_time: r.start_time as string,
    end_time: r.end_time as string,
    start_at: iso(r.start_at as string),
    end_at: iso(r.end_at as string),
  };
}

/** Queries about bookings that other resources need (availability, services). */
export function bookingTimeRepository(db: Db) {
  const { Booking } = db.models;
  return {
    /** Active bookings of an instructor whose blocked time overlaps [from, to). */
    async activeForInstructorBetween(instructorId: string, from: Date, to: Date, tx?: Transaction): Promise<BookingTimeRow[]> {
      const rows = (await Booking.findAll({
        where: {
          instructor_id: instructorId,
          status: ACTIVE_STATUSES as unknown as string[],
          start_at: { [Op.lt]: to },
          blocked_until: { [Op.gt]: from },
        },
        attributes: ['id', 'status', 'date', 'start_time', 'end_time', 'start_at', 'end_at'],
        order: [['start_at', 'ASC']],
        raw: true,
        transaction: tx,
      })) as unknown as Raw[];
      return rows.map(toBookingTime);
    },
    /** Active bookings of an instructor on the given local dates. */
    async activeForInstructorOnDates(instructorId: string, dates: string[], tx?: Transaction): Promise<BookingTimeRow[]> {
      if (dates.length === 0) return [];
      const rows = (await Booking.findAll({
        where: { instructor_id: instructorId, status: ACTIVE_STATUSES as unknown as string[], date: dates },
        attributes: ['id', 'status', 'date', 'start_time', 'end_time', 'start_at', 'end_at'],
        order: [['start_at', 'ASC']],
        raw: true,
        transaction: tx,
      })) as unknown as Raw[];
      return rows.map(toBookingTime);
    },
    /** True when any booking, in any status, references the service. */
    async serviceHasBookings(serviceId: string, tx: Transaction): Promise<boolean> {
      return (await Booking.count({ where: { service_id: serviceId }, transaction: tx })) > 0;
    },
  };
}

export type BookingTimeRepository = ReturnType<typeof bookingTimeRepository>;
export { toDate };
