import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.UUID, primaryKey: true, allowNull: false };
const timestamps = {
  created_at: { type: DataTypes.DATE, allowNull: false },
  updated_at: { type: DataTypes.DATE, allowNull: false },
};
const userRef = (onDelete = 'CASCADE') => ({
  type: DataTypes.UUID,
  allowNull: false,
  references: { model: 'users', key: 'id' },
  onDelete,
});

/** Accounts, API keys, reset tokens, instructor profiles, services, availability and blackouts. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('users', {
    id,
    email: { type: DataTypes.STRING(254), allowNull: false, unique: true },
    password_hash: { type: DataTypes.STRING(255), allowNull: false },
    full_name: { type: DataTypes.STRING(100), allowNull: false },
    role: { type: DataTypes.STRING(16), allowNull: false },
    timezone: { type: DataTypes.STRING(64), allowNull: false },
    ...timestamps,
  });
  await qi.createTable('api_keys', {
    id,
    user_id: userRef(),
    name: { type: DataTypes.STRING(80), allowNull: false },
    type: { type: DataTypes.STRING(16), allowNull: false },
    prefix: { type: DataTypes.STRING(32), allowNull: false },
    key_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    allowed_origins: { type: DataTypes.JSON, allowNull: false },
    last_used_at: { type: DataTypes.DATE, allowNull: true },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('api_keys', ['user_id', 'created_at']);
  await qi.createTable('password_reset_tokens', {
    id,
    user_id: userRef(),
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    used_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps,
  });
  await qi.addIndex('password_reset_tokens', ['user_id']);
  await qi.createTable('instructor_profiles', {
    user_id: { ...userRef(), primaryKey: true },
    bio: { type: DataTypes.TEXT, allowNull: false },
    timezone: { type: DataTypes.STRING(64), allowNull: false },
    min_advance_hours: { type: DataTypes.INTEGER, allowNull: false },
    buffer_minutes: { type: DataTypes.INTEGER, allowNull: false },
    service_areas: { type: DataTypes.JSON, allowNull: false },
    area_keys: { type: DataTypes.TEXT, allowNull: false },
    published: { type: DataTypes.BOOLEAN, allowNull: false },
    ...timestamps,
  });
  await qi.addIndex('instructor_profiles', ['published']);
  await qi.createTable('services', {
    id,
    instructor_id: userRef(),
    skill: { type: DataTypes.STRING(80), allowNull: false },
    hourly_rate: { type: DataTypes.INTEGER, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false },
    durations: { type: DataTypes.JSON, allowNull: false },
    location_types: { type: DataTypes.JSON, allowNull: false },
    description: { type: DataTypes.TEXT, allowNull: false },
    active: { type: DataTypes.BOOLEAN, allowNull: false },
    ...timestamps,
  });
  await qi.addIndex('services', ['instructor_id', 'active']);
  await qi.createTable('availability_ranges', {
    id,
    instructor_id: userRef(),
    date: { type: DataTypes.DATEONLY, allowNull: false },
    start_minute: { type: DataTypes.INTEGER, allowNull: false },
    end_minute: { type: DataTypes.INTEGER, allowNull: false },
  });
  await qi.addIndex('availability_ranges', ['instructor_id', 'date']);
  await qi.addIndex('availability_ranges', ['date']);
  await qi.createTable('blackouts', {
    id,
    instructor_id: userRef(),
    date: { type: DataTypes.DATEONLY, allowNull: false },
    reason: { type: DataTypes.STRING(200), allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('blackouts', ['instructor_id', 'date'], { unique: true });
}
