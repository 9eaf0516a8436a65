import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Where a booking was made: `api` (any client with the user's own credential) or `widget` (through
 * a partner site's publishable key, kept so the key's owner can see what the site brought in).
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('bookings', 'source_kind', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'api' });
  await qi.addColumn('bookings', 'source_key_id', { type: DataTypes.UUID, allowNull: true });
  await qi.addIndex('bookings', ['source_key_id']);
}
