import { DataTypes, type Sequelize } from 'sequelize';

/** Refresh tokens: one row per token, grouped in families (one family per sign-in). */
export function defineSessionModels(sequelize: Sequelize) {
  const RefreshToken = sequelize.define(
    'RefreshToken',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      family_id: { type: DataTypes.UUID, allowNull: false },
      user_id: { type: DataTypes.UUID, allowNull: false },
      token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      token_version: { type: DataTypes.INTEGER, allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: false },
      rotated_at: { type: DataTypes.DATE, allowNull: true },
      revoked_at: { type: DataTypes.DATE, allowNull: true },
    },
    { tableName: 'refresh_tokens', underscored: true, updatedAt: false },
  );
  return { RefreshToken };
}
