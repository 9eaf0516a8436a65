import { DataTypes, type QueryInterface } from 'sequelize';

/** Processor webhook events already applied, by id: a replay (Stripe retries for days) changes nothing. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('processed_webhook_events', {
    id: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
    type: { type: DataTypes.STRING(100), allowNull: false },
    received_at: { type: DataTypes.DATE, allowNull: false },
  });
}
