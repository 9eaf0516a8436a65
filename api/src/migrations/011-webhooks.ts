import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Outbound webhooks: endpoints (with their signing secret, and the previous one while it still
 * signs after a rotation) and deliveries, the outbox written in the same transaction as the
 * change they announce, one row per event and endpoint.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('webhook_endpoints', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' } },
    url: { type: DataTypes.STRING(2048), allowNull: false },
    events: { type: DataTypes.JSON, allowNull: false },
    description: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
    status: { type: DataTypes.STRING(16), allowNull: false },
    disabled_reason: { type: DataTypes.STRING(16), allowNull: true },
    secret: { type: DataTypes.STRING(100), allowNull: false },
    previous_secret: { type: DataTypes.STRING(100), allowNull: true },
    previous_secret_until: { type: DataTypes.DATE, allowNull: true },
    failing_since: { type: DataTypes.DATE, allowNull: true },
    deleted_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('webhook_endpoints', ['user_id', 'created_at']);
  await qi.createTable('webhook_deliveries', {
    id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
    endpoint_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'webhook_endpoints', key: 'id' } },
    event_id: { type: DataTypes.STRING(40), allowNull: false },
    event_type: { type: DataTypes.STRING(40), allowNull: false },
    payload: { type: DataTypes.TEXT, allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    next_attempt_at: { type: DataTypes.DATE, allowNull: true },
    last_attempt_at: { type: DataTypes.DATE, allowNull: true },
    response_status: { type: DataTypes.INTEGER, allowNull: true },
    duration_ms: { type: DataTypes.INTEGER, allowNull: true },
    last_error: { type: DataTypes.STRING(500), allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('webhook_deliveries', ['endpoint_id', 'created_at']);
  await qi.addIndex('webhook_deliveries', ['status', 'next_attempt_at']);
}
