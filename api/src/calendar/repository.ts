import { Op, type Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import { iso } from '../platform/time.js';
import type { BookingRow } from '../bookings/repository.js';

/** What the feed shows of one lesson. */
export interface FeedLesson extends Pick<BookingRow, 'id' | 'status' | 'start_at' | 'end_at' | 'location_type' | 'instructor_id' | 'student_id'> {
  skill: string;
  instructor_name: string;
  student_name: string;
  /** The booking's change number (0 when created), the same SEQUENCE its mails carry. */
  sequence: number;
  updated_at: string;
}

/** The most lessons one feed lists (from 30 days back, soonest first). */
export const FEED_MAX_LESSONS = 2_000;

/** Calendar feeds and the lessons they show. */
export function calendarRepository(db: Db) {
  const { CalendarFeed, Booking, BookingEvent, User, Service } = db.models;
  return {
    async findByUser(userId: string, tx?: Transaction): Promise<{ token: string } | null> {
      const row = await CalendarFeed.findByPk(userId, { transaction: tx });
      return row ? { token: row.token } : null;
    },
    async findByToken(token: string): Promise<{ user_id: string } | null> {
      const row = await CalendarFeed.findOne({ where: { token } });
      return row ? { user_id: row.user_id } : null;
    },
    async create(userId: string, token: string, tx: Transaction): Promise<void> {
      await CalendarFeed.create({ user_id: userId, token, rotated_at: null }, { transaction: tx });
    },
    async replaceToken(userId: string, token: string, at: Date, tx: Transaction): Promise<void> {
      await CalendarFeed.update({ token, rotated_at: at }, { where: { user_id: userId }, transaction: tx });
    },
    /** The person's lessons (teaching or learning) that end at or after `since`, with names, skill and SEQUENCE. */
    async lessonsOf(userId: string, since: Date): Promise<FeedLesson[]> {
      const rows = (await Booking.findAll({
        where: { [Op.or]: [{ student_id: userId }, { instructor_id: userId }], end_at: { [Op.gte]: since } },
        attributes: ['id', 'status', 'start_at', 'end_at', 'location_type', 'instructor_id', 'student_id', 'service_id', 'updated_at'],
        order: [['start_at', 'ASC'], ['id', 'ASC']],
        limit: FEED_MAX_LESSONS,
        raw: true,
      })) as unknown as Record<string, string>[];
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id!);
      const people = new Set(rows.flatMap((r) => [r.instructor_id!, r.student_id!]));
      const [counts, users, services] = await Promise.all([
        // Changes of the lesson only (payment steps are not): the same count the mails' SEQUENCE uses.
        BookingEvent.findAll({ where: { booking_id: ids, type: { [Op.notLike]: 'payment_%' } }, attributes: ['booking_id', [db.sequelize.fn('COUNT', db.sequelize.col('id')), 'n']], group: ['booking_id'], raw: true }) as unknown as Promise<{ booking_id: string; n: string | number }[]>,
        User.findAll({ where: { id: [...people] }, attributes: ['id', 'full_name'], raw: true }) as unknown as Promise<{ id: string; full_name: string }[]>,
        Service.findAll({ where: { id: [...new Set(rows.map((r) => r.service_id!))] }, attributes: ['id', 'skill'], raw: true }) as unknown as Promise<{ id: string; skill: string }[]>,
      ]);
      const events = new Map(counts.map((c) => [c.booking_id, Number(c.n)]));
      const names = new Map(users.map((u) => [u.id, u.full_name]));
      const skills = new Map(services.map((s) => [s.id, s.skill]));
      return rows.map((r) => ({
        id: r.id!,
        status: r.status as BookingRow['status'],
        start_at: iso(r.start_at!),
        end_at: iso(r.end_at!),
        location_type: r.location_type!,
        instructor_id: r.instructor_id!,
        student_id: r.student_id!,
        skill: skills.get(r.service_id!) ?? '',
        instructor_name: names.get(r.instructor_id!) ?? '',
        student_name: names.get(r.student_id!) ?? '',
        sequence: Math.max(0, (events.get(r.id!) ?? 1) - 1),
        updated_at: iso(r.updated_at!),
      }));
    },
  };
}

export type CalendarRepository = ReturnType<typeof calendarRepository>;
