import { DataTypes, type Model, type Optional, type Sequelize } from 'sequelize';

export interface PaymentCustomerAttributes {
  user_id: string;
  processor: string;
  customer_id: string;
  created_at: Date;
}

export interface PaymentMethodAttributes {
  id: string;
  user_id: string;
  processor: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  is_default: boolean;
  created_at: Date;
}

/** One booking's money: what is held, taken and given back, and the processor step in flight. */
export interface BookingPaymentAttributes {
  booking_id: string;
  processor: string;
  amount: number;
  currency: string;
  customer_id: string;
  payment_method_id: string;
  intent_id: string | null;
  client_secret: string | null;
  authorized_amount: number;
  captured_amount: number;
  refunded_amount: number;
  fee_amount: number;
  authorize_at: Date | null;
  capture_before: Date | null;
  action_expires_at: Date | null;
  /** Authorizations tried (each has its own idempotency key). */
  attempt: number;
  /** A processor call recorded before it was made and cleared after: reconciliation finishes what a crash left. */
  pending_step: string | null;
  pending_since: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface OfflinePaymentMethodAttributes {
  id: string;
  card: string;
  customer_id: string | null;
  created_at: Date;
}

export interface OfflineIntentAttributes {
  id: string;
  data: unknown;
  created_at: Date;
  updated_at: Date;
}

export interface OfflineRequestAttributes {
  idempotency_key: string;
  result: unknown;
  created_at: Date;
}

type Timestamps = 'created_at' | 'updated_at';

/** Payments' tables (and the offline processor's, which stand in for the processor's own records). */
export function definePaymentModels(sequelize: Sequelize) {
  const PaymentCustomer = sequelize.define<Model<PaymentCustomerAttributes, Optional<PaymentCustomerAttributes, 'created_at'>>>(
    'PaymentCustomer',
    {
      user_id: { type: DataTypes.UUID, primaryKey: true },
      processor: { type: DataTypes.STRING(16), allowNull: false },
      customer_id: { type: DataTypes.STRING(255), allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'payment_customers', underscored: true, updatedAt: false },
  );
  const PaymentMethod = sequelize.define<Model<PaymentMethodAttributes, Optional<PaymentMethodAttributes, 'created_at'>>>(
    'PaymentMethod',
    {
      id: { type: DataTypes.STRING(255), primaryKey: true },
      user_id: { type: DataTypes.UUID, allowNull: false },
      processor: { type: DataTypes.STRING(16), allowNull: false },
      brand: { type: DataTypes.STRING(32), allowNull: false },
      last4: { type: DataTypes.STRING(4), allowNull: false },
      exp_month: { type: DataTypes.INTEGER, allowNull: false },
      exp_year: { type: DataTypes.INTEGER, allowNull: false },
      is_default: { type: DataTypes.BOOLEAN, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'payment_methods', underscored: true, updatedAt: false },
  );
  const BookingPayment = sequelize.define<Model<BookingPaymentAttributes, Optional<BookingPaymentAttributes, Timestamps>>>(
    'BookingPayment',
    {
      booking_id: { type: DataTypes.UUID, primaryKey: true },
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
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'booking_payments', underscored: true, timestamps: false },
  );
  const OfflinePaymentMethod = sequelize.define<Model<OfflinePaymentMethodAttributes>>(
    'OfflinePaymentMethod',
    {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      card: { type: DataTypes.STRING(48), allowNull: false },
      customer_id: { type: DataTypes.STRING(255), allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'offline_payment_methods', timestamps: false },
  );
  const OfflineIntent = sequelize.define<Model<OfflineIntentAttributes>>(
    'OfflineIntent',
    {
      id: { type: DataTypes.STRING(64), primaryKey: true },
      data: { type: DataTypes.JSON, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
      updated_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'offline_payment_intents', timestamps: false },
  );
  const OfflineRequest = sequelize.define<Model<OfflineRequestAttributes>>(
    'OfflineRequest',
    {
      idempotency_key: { type: DataTypes.STRING(255), primaryKey: true },
      result: { type: DataTypes.JSON, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'offline_requests', timestamps: false },
  );
  const ProcessedWebhookEvent = sequelize.define<Model<{ id: string; type: string; received_at: Date }>>(
    'ProcessedWebhookEvent',
    {
      id: { type: DataTypes.STRING(255), primaryKey: true },
      type: { type: DataTypes.STRING(100), allowNull: false },
      received_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'processed_webhook_events', timestamps: false },
  );
  return { PaymentCustomer, PaymentMethod, BookingPayment, OfflinePaymentMethod, OfflineIntent, OfflineRequest, ProcessedWebhookEvent };
}
