import { DataTypes, type QueryInterface } from 'sequelize';

/**
 * Payments: students' processor customers and saved cards, each booking's payment (amounts,
 * the processor's intent, the step in flight), the offline processor's own state, and the
 * instructor's cancellation policy and no-show fee.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const now = { type: DataTypes.DATE, allowNull: false };
  await qi.addColumn('instructor_profiles', 'cancellation_policy', { type: DataTypes.JSON, allowNull: true });
  await qi.addColumn('instructor_profiles', 'no_show_fee_percent', { type: DataTypes.INTEGER, allowNull: true });
  await qi.createTable('payment_customers', {
    user_id: { type: DataTypes.UUID, primaryKey: true, allowNull: false, references: { model: 'users', key: 'id' } },
    processor: { type: DataTypes.STRING(16), allowNull: false },
    customer_id: { type: DataTypes.STRING(255), allowNull: false },
    created_at: now,
  });
  await qi.createTable('payment_methods', {
    id: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' } },
    processor: { type: DataTypes.STRING(16), allowNull: false },
    brand: { type: DataTypes.STRING(32), allowNull: false },
    last4: { type: DataTypes.STRING(4), allowNull: false },
    exp_month: { type: DataTypes.INTEGER, allowNull: false },
    exp_year: { type: DataTypes.INTEGER, allowNull: false },
    is_default: { type: DataTypes.BOOLEAN, allowNull: false },
    created_at: now,
  });
  await qi.addIndex('payment_methods', ['user_id']);
  await qi.createTable('booking_payments', {
    booking_id: { type: DataTypes.UUID, primaryKey: true, allowNull: false, references: { model: 'bookings', key: 'id' } },
    processor: { type: DataTypes.STRING(16), allowNull: false },
    amount: { type: DataTypes.INTEGER, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false },
    customer_id: { type: DataTypes.STRING(255), allowNull: false },
    payment_method_id: { type: DataTypes.STRING(255), allowNull: false },
    intent_id: { type: DataTypes.STRING(255), allowNull: true },
    client_secret: { type: DataTypes.STRING(255), allowNull: true },
    authorized_amount: { type: DataTypes.INTEGER, allowNull: false },
    captured_amount: { type: DataTypes.INTEGER, allowNull: false },
    refunded_amount: { type: DataTypes.INTEGER, allowNull: false },
    fee_amount: { type: DataTypes.INTEGER, allowNull: false },
    authorize_at: { type: DataTypes.DATE, allowNull: true },
    capture_before: { type: DataTypes.DATE, allowNull: true },
    action_expires_at: { type: DataTypes.DATE, allowNull: true },
    attempt: { type: DataTypes.INTEGER, allowNull: false },
    pending_step: { type: DataTypes.STRING(24), allowNull: true },
    pending_since: { type: DataTypes.DATE, allowNull: true },
    last_error: { type: DataTypes.TEXT, allowNull: true },
    created_at: now,
    updated_at: now,
  });
  await qi.addIndex('booking_payments', ['pending_step', 'pending_since']);
  await qi.addIndex('booking_payments', ['intent_id']);
  await qi.createTable('offline_payment_methods', {
    id: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
    card: { type: DataTypes.STRING(48), allowNull: false },
    customer_id: { type: DataTypes.STRING(255), allowNull: true },
    created_at: now,
  });
  await qi.createTable('offline_payment_intents', {
    id: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
    data: { type: DataTypes.JSON, allowNull: false },
    created_at: now,
    updated_at: now,
  });
  await qi.createTable('offline_requests', {
    idempotency_key: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
    result: { type: DataTypes.JSON, allowNull: false },
    created_at: now,
  });
}
