import { DataTypes, type Sequelize } from 'sequelize';

/** Availability ranges (local minutes on a date, in the instructor's zone) and blackout dates. */
export function defineAvailabilityModels(sequelize: Sequelize) {
  const AvailabilityRange = sequelize.define(
    'AvailabilityRange',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      instructor_id: { type: DataTypes.UUID, allowNull: false },
      date: { type: DataTypes.DATEONLY, allowNull: false },
      start_minute: { type: DataTypes.INTEGER, allowNull: false },
      end_minute: { type: DataTypes.INTEGER, allowNull: false },
    },
    { tableName: 'availability_ranges', underscored: true, timestamps: false },
  );
  const Blackout = sequelize.define(
    'Blackout',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      instructor_id: { type: DataTypes.UUID, allowNull: false },
      date: { type: DataTypes.DATEONLY, allowNull: false },
      reason: { type: DataTypes.STRING(200), allowNull: true },
    },
    { tableName: 'blackouts', underscored: true, updatedAt: false },
  );
  return { AvailabilityRange, Blackout };
}
