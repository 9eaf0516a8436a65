import { DataTypes, type Sequelize } from 'sequelize';

/** Instructor profiles and their services. */
export function defineInstructorModels(sequelize: Sequelize) {
  const InstructorProfile = sequelize.define(
    'InstructorProfile',
    {
      user_id: { type: DataTypes.UUID, primaryKey: true },
      bio: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      timezone: { type: DataTypes.STRING(64), allowNull: false },
      min_advance_hours: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 2 },
      buffer_minutes: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      service_areas: { type: DataTypes.JSON, allowNull: false, defaultValue: [] },
      // '|berlin|mitte|': normalized areas, so search can match exactly with LIKE on any database.
      area_keys: { type: DataTypes.TEXT, allowNull: false, defaultValue: '|' },
      published: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      cancellation_policy: { type: DataTypes.JSON, allowNull: true },
      no_show_fee_percent: { type: DataTypes.INTEGER, allowNull: true },
    },
    { tableName: 'instructor_profiles', underscored: true },
  );
  const Service = sequelize.define(
    'Service',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      instructor_id: { type: DataTypes.UUID, allowNull: false },
      skill: { type: DataTypes.STRING(80), allowNull: false },
      hourly_rate: { type: DataTypes.INTEGER, allowNull: false },
      currency: { type: DataTypes.STRING(3), allowNull: false },
      durations: { type: DataTypes.JSON, allowNull: false },
      location_types: { type: DataTypes.JSON, allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
      active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
    },
    { tableName: 'services', underscored: true },
  );
  return { InstructorProfile, Service };
}
