import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Revocable sessions: a per-user token version (access tokens carry it; a password change or
 * reset bumps it) and refresh tokens, stored only as SHA-256, in families (one per sign-in) so
 * a reused, already rotated token can revoke its whole family.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.addColumn('users', 'token_version', { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
  await qi.createTable('refresh_tokens', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    family_id: { type: DataTypes.UUID, allowNull: false },
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' } },
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    token_version: { type: DataTypes.INTEGER, allowNull: false },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    rotated_at: { type: DataTypes.DATE, allowNull: true },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('refresh_tokens', ['family_id']);
  await qi.addIndex('refresh_tokens', ['user_id']);
}
