import { DataTypes, type QueryInterface } from 'sequelize';

const id = { type: DataTypes.UUID, primaryKey: true, allowNull: false };
const ref = (model: string, allowNull = false) => ({ type: DataTypes.UUID, allowNull, references: { model, key: 'id' } });

/**
 * Bookings, their history, idempotency keys and the mail outbox. On PostgreSQL, exclusion
 * constraints are the final guard against double-booking: the instructor's range runs to
 * blocked_until (end + the instructor's buffer, a stored column because timestamptz + interval
 * is not IMMUTABLE), the student's to end_at; both only for active bookings.
 */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  await qi.createTable('bookings', {
    id,
    instructor_id: ref('users'),
    student_id: ref('users'),
    service_id: ref('services'),
    status: { type: DataTypes.STRING(16), allowNull: false },
    date: { type: DataTypes.DATEONLY, allowNull: false },
    start_time: { type: DataTypes.STRING(5), allowNull: false },
    end_time: { type: DataTypes.STRING(5), allowNull: false },
    timezone: { type: DataTypes.STRING(64), allowNull: false },
    start_at: { type: DataTypes.DATE, allowNull: false },
    end_at: { type: DataTypes.DATE, allowNull: false },
    blocked_until: { type: DataTypes.DATE, allowNull: false },
    duration_minutes: { type: DataTypes.INTEGER, allowNull: false },
    location_type: { type: DataTypes.STRING(16), allowNull: false },
    price_amount: { type: DataTypes.INTEGER, allowNull: false },
    currency: { type: DataTypes.STRING(3), allowNull: false },
    payment_status: { type: DataTypes.STRING(24), allowNull: false },
    note: { type: DataTypes.TEXT, allowNull: true },
    cancelled_at: { type: DataTypes.DATE, allowNull: true },
    cancelled_by: { type: DataTypes.STRING(16), allowNull: true },
    cancellation_reason: { type: DataTypes.TEXT, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    updated_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('bookings', ['instructor_id', 'start_at']);
  await qi.addIndex('bookings', ['student_id', 'start_at']);
  await qi.addIndex('bookings', ['service_id']);
  if (qi.sequelize.getDialect() === 'postgres') {
    await qi.sequelize.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await qi.sequelize.query(`ALTER TABLE bookings ADD CONSTRAINT bookings_no_instructor_overlap
      EXCLUDE USING gist (instructor_id WITH =, tstzrange(start_at, blocked_until, '[)') WITH &&)
      WHERE (status IN ('pending', 'confirmed'))`);
    await qi.sequelize.query(`ALTER TABLE bookings ADD CONSTRAINT bookings_no_student_overlap
      EXCLUDE USING gist (student_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
      WHERE (status IN ('pending', 'confirmed'))`);
  }
  await qi.createTable('booking_events', {
    id,
    booking_id: ref('bookings'),
    type: { type: DataTypes.STRING(24), allowNull: false },
    actor_id: ref('users', true),
    data: { type: DataTypes.JSON, allowNull: false },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('booking_events', ['booking_id', 'created_at']);
  await qi.createTable('idempotency_keys', {
    id,
    user_id: ref('users'),
    key: { type: DataTypes.STRING(255), allowNull: false },
    request_hash: { type: DataTypes.STRING(64), allowNull: false },
    response_status: { type: DataTypes.INTEGER, allowNull: true },
    response_body: { type: DataTypes.JSON, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
    expires_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('idempotency_keys', ['user_id', 'key'], { unique: true });
  await qi.addIndex('idempotency_keys', ['expires_at']);
  await qi.createTable('mail_outbox', {
    id,
    recipient: { type: DataTypes.STRING(254), allowNull: false },
    template: { type: DataTypes.STRING(64), allowNull: false },
    data: { type: DataTypes.JSON, allowNull: false },
    attachments: { type: DataTypes.JSON, allowNull: false },
    status: { type: DataTypes.STRING(16), allowNull: false },
    attempts: { type: DataTypes.INTEGER, allowNull: false },
    next_attempt_at: { type: DataTypes.DATE, allowNull: false },
    last_error: { type: DataTypes.TEXT, allowNull: true },
    sent_at: { type: DataTypes.DATE, allowNull: true },
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await qi.addIndex('mail_outbox', ['status', 'next_attempt_at']);
}
