import { randomUUID } from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import { jsonColumn } from '../platform/db.js';
import type { Language } from './model.js';

/** A person's notification preferences. */
export interface Preferences {
  reminder_minutes_before: number[];
  language: Language;
}

/** Reminders 24 hours and 1 hour before each lesson, in English, unless the person chose otherwise. */
export const DEFAULT_PREFERENCES: Preferences = { reminder_minutes_before: [1440, 60], language: 'en' };

/** The only code that touches the preference and reminder tables. */
export function reminderRepository(db: Db) {
  const { NotificationPreference, LessonReminder } = db.models;
  return {
    async preferencesOf(userId: string, tx?: Transaction): Promise<Preferences> {
      const row = await NotificationPreference.findByPk(userId, { transaction: tx });
      return row ? { reminder_minutes_before: jsonColumn<number[]>(row.reminder_minutes_before), language: row.language } : DEFAULT_PREFERENCES;
    },
    /** The preferences of several people in one query (the defaults for those who chose none). */
    async preferencesOfMany(userIds: string[], tx?: Transaction): Promise<Map<string, Preferences>> {
      const rows = await NotificationPreference.findAll({ where: { user_id: userIds }, transaction: tx });
      const chosen = new Map(rows.map((row) => [row.user_id, { reminder_minutes_before: jsonColumn<number[]>(row.reminder_minutes_before), language: row.language }]));
      return new Map(userIds.map((id) => [id, chosen.get(id) ?? DEFAULT_PREFERENCES]));
    },
    async savePreferences(userId: string, p: Preferences, tx: Transaction): Promise<void> {
      await NotificationPreference.upsert({ user_id: userId, ...p }, { transaction: tx });
    },
    /** Records a reminder as sent; false when it already was (the unique key decides, under any concurrency). */
    async markSent(r: { booking_id: string; user_id: string; minutes_before: number; start_at: Date }, at: Date, tx: Transaction): Promise<boolean> {
      const id = randomUUID();
      // ON CONFLICT DO NOTHING (INSERT OR IGNORE): a twin never aborts the transaction; ours is in only if it is new.
      await LessonReminder.bulkCreate([{ id, ...r, sent_at: at }], { ignoreDuplicates: true, transaction: tx });
      return (await LessonReminder.findByPk(id, { transaction: tx })) !== null;
    },
    /** The active lessons of a person (either role) that start after `from`, soonest first. */
    async upcomingBookingIds(userId: string, from: Date, limit: number): Promise<string[]> {
      const { Booking } = db.models;
      const rows = await Booking.findAll({
        where: { [Op.or]: [{ student_id: userId }, { instructor_id: userId }], status: ['pending', 'confirmed'], start_at: { [Op.gt]: from } },
        attributes: ['id'],
        order: [['start_at', 'ASC']],
        limit,
        raw: true,
      });
      return (rows as unknown as { id: string }[]).map((r) => r.id);
    },
  };
}

export type ReminderRepository = ReturnType<typeof reminderRepository>;
