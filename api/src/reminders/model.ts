import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** The languages reminder mails are written in. */
export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How a person wants to be reminded. */
export class NotificationPreference extends Model<InferAttributes<NotificationPreference>, InferCreationAttributes<NotificationPreference>> {
  declare user_id: string;
  declare reminder_minutes_before: number[];
  declare language: Language;
  declare updated_at: CreationOptional<Date>;
}

/** One reminder that went out: a person, a lesson time and an offset. */
export class LessonReminder extends Model<InferAttributes<LessonReminder>, InferCreationAttributes<LessonReminder>> {
  declare id: CreationOptional<string>;
  declare booking_id: string;
  declare user_id: string;
  declare minutes_before: number;
  declare start_at: Date;
  declare sent_at: Date;
}

/** Defines the reminder models on one Sequelize instance (a class of its own per instance). */
export function defineReminderModels(sequelize: Sequelize) {
  const Preference = class extends NotificationPreference {};
  Preference.init(
    {
      user_id: { type: DataTypes.UUID, primaryKey: true },
      reminder_minutes_before: { type: DataTypes.JSON, allowNull: false },
      language: { type: DataTypes.STRING(8), allowNull: false },
      updated_at: DataTypes.DATE,
    },
    { sequelize, modelName: 'NotificationPreference', tableName: 'notification_preferences', underscored: true, createdAt: false },
  );
  const Reminder = class extends LessonReminder {};
  Reminder.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      booking_id: { type: DataTypes.UUID, allowNull: false },
      user_id: { type: DataTypes.UUID, allowNull: false },
      minutes_before: { type: DataTypes.INTEGER, allowNull: false },
      start_at: { type: DataTypes.DATE, allowNull: false },
      sent_at: { type: DataTypes.DATE, allowNull: false },
    },
    { sequelize, modelName: 'LessonReminder', tableName: 'lesson_reminders', underscored: true, timestamps: false },
  );
  return { NotificationPreference: Preference, LessonReminder: Reminder };
}
