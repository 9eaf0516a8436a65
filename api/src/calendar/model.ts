import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A person's private calendar feed: the token in its URL is the only credential. */
export class CalendarFeed extends Model<InferAttributes<CalendarFeed>, InferCreationAttributes<CalendarFeed>> {
  declare user_id: string;
  declare token: string;
  declare created_at: CreationOptional<Date>;
  declare rotated_at: Date | null;
}

/** Defines the calendar feed model on one Sequelize instance. */
export function defineCalendarModels(sequelize: Sequelize) {
  // Each Sequelize instance (one per database) needs its own model class.
  const Feed = class extends CalendarFeed {};
  Feed.init(
    {
      user_id: { type: DataTypes.UUID, primaryKey: true },
      token: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      created_at: DataTypes.DATE,
      rotated_at: { type: DataTypes.DATE, allowNull: true },
    },
    { sequelize, modelName: 'CalendarFeed', tableName: 'calendar_feeds', underscored: true, updatedAt: false },
  );
  return { CalendarFeed: Feed };
}
