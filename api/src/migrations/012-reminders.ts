import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Notification preferences per account (reminder offsets, mail language) and the reminders sent,
 * one row per person, lesson time and offset: the unique key is what makes a reminder go out once.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('notification_preferences', {
    user_id: { type: DataTypes.UUID, primaryKey: true, allowNull: false, references: { model: 'users', key: 'id' } },
    reminder_minutes_before: { type: DataTypes.JSON, allowNull: false },
    language: { type: DataTypes.STRING(8), allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.createTable('lesson_reminders', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    booking_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'bookings', key: 'id' } },
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' } },
    minutes_before: { type: DataTypes.INTEGER, allowNull: false },
    start_at: { type: DataTypes.DATE, allowNull: false },
    sent_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('lesson_reminders', ['booking_id', 'user_id', 'minutes_before', 'start_at'], { unique: true, name: 'lesson_reminders_once' });
}
