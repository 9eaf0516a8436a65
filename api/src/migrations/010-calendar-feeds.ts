import { DataTypes, type QueryInterface } from 'sequelize';

/** One private calendar feed per person: the secret token in its URL (rotating replaces it). */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('calendar_feeds', {
    user_id: { type: DataTypes.UUID, primaryKey: true, allowNull: false, references: { model: 'users', key: 'id' } },
    token: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    rotated_at: { type: DataTypes.DATE, allowNull: true },
  });
}
