import { DataTypes, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Model, type Sequelize } from 'sequelize';

export type BookingStatus = 'pending' | 'confirmed' | 'completed' | 'cancelled' | 'no_show';

/** A row of `bookings`. */
export interface BookingModel extends Model<InferAttributes<BookingModel>, InferCreationAttributes<BookingModel>> {
  id: CreationOptional<string>;
  instructor_id: string;
  student_id: string;
  service_id: string;
  status: BookingStatus;
  /** The local date (YYYY-MM-DD) and times (HH:MM) in the instructor's zone at booking. */
  date: string;
  start_time: string;
  end_time: string;
  timezone: string;
  start_at: Date;
  end_at: Date;
  blocked_until: Date;
  duration_minutes: number;
  location_type: string;
  price_amount: number;
  currency: string;
  payment_status: string;
  note: string | null;
  cancelled_at: CreationOptional<Date | null>;
  cancelled_by: CreationOptional<string | null>;
  cancellation_reason: CreationOptional<string | null>;
  source_kind: CreationOptional<'api' | 'widget'>;
  source_key_id: CreationOptional<string | null>;
  created_at: CreationOptional<Date>;
  updated_at: CreationOptional<Date>;
}

/** Bookings, their history and idempotency records. */
export function defineBookingModels(sequelize: Sequelize) {
  const Booking = sequelize.define<BookingModel>(
    'Booking',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      instructor_id: { type: DataTypes.UUID, allowNull: false },
      student_id: { type: DataTypes.UUID, allowNull: false },
      service_id: { type: DataTypes.UUID, allowNull: false },
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
      source_kind: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'api' },
      source_key_id: { type: DataTypes.UUID, allowNull: true },
      created_at: DataTypes.DATE,
      updated_at: DataTypes.DATE,
    },
    { tableName: 'bookings', underscored: true },
  );
  const BookingEvent = sequelize.define(
    'BookingEvent',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      booking_id: { type: DataTypes.UUID, allowNull: false },
      type: { type: DataTypes.STRING(24), allowNull: false },
      actor_id: { type: DataTypes.UUID, allowNull: true },
      data: { type: DataTypes.JSON, allowNull: false },
    },
    { tableName: 'booking_events', underscored: true, updatedAt: false },
  );
  const IdempotencyKey = sequelize.define(
    'IdempotencyKey',
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      user_id: { type: DataTypes.UUID, allowNull: false },
      key: { type: DataTypes.STRING(255), allowNull: false },
      request_hash: { type: DataTypes.STRING(64), allowNull: false },
      response_status: { type: DataTypes.INTEGER, allowNull: true },
      response_body: { type: DataTypes.JSON, allowNull: true },
      expires_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'idempotency_keys', underscored: true, updatedAt: false },
  );
  return { Booking, BookingEvent, IdempotencyKey };
}
