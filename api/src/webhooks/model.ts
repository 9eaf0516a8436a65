import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type EndpointStatus = 'enabled' | 'disabled';
/** Why an endpoint is disabled: its owner did it, it answered 410 Gone, or it kept failing for 5 days. */
export type DisabledReason = 'manual' | 'gone' | 'failing';
/** pending: not tried yet; retrying: failed, another attempt is scheduled; succeeded; failed: given up. */
export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

/** A URL a user wants events sent to, with its signing secret(s). */
export class WebhookEndpoint extends Model<InferAttributes<WebhookEndpoint>, InferCreationAttributes<WebhookEndpoint>> {
  declare id: CreationOptional<string>;
  declare user_id: string;
  declare url: string;
  declare events: string[];
  declare description: string;
  declare status: EndpointStatus;
  declare disabled_reason: DisabledReason | null;
  declare secret: string;
  declare previous_secret: string | null;
  declare previous_secret_until: Date | null;
  declare failing_since: Date | null;
  declare deleted_at: Date | null;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

/** One event for one endpoint: the exact signed body and the outcome of its attempts. */
export class WebhookDelivery extends Model<InferAttributes<WebhookDelivery>, InferCreationAttributes<WebhookDelivery>> {
  declare id: CreationOptional<string>;
  declare endpoint_id: string;
  declare event_id: string;
  declare event_type: string;
  declare payload: string;
  declare status: DeliveryStatus;
  declare attempts: CreationOptional<number>;
  declare next_attempt_at: Date | null;
  declare last_attempt_at: CreationOptional<Date | null>;
  declare response_status: CreationOptional<number | null>;
  declare duration_ms: CreationOptional<number | null>;
  declare last_error: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
}

/** Defines the webhook models on one Sequelize instance (a class of its own per instance). */
export function defineWebhookModels(sequelize: Sequelize) {
  const Endpoint = class extends WebhookEndpoint {};
  Endpoint.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      user_id: { type: DataTypes.UUID, allowNull: false },
      url: { type: DataTypes.STRING(2048), allowNull: false },
      events: { type: DataTypes.JSON, allowNull: false },
      description: { type: DataTypes.STRING(500), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false },
      disabled_reason: { type: DataTypes.STRING(16), allowNull: true },
      secret: { type: DataTypes.STRING(100), allowNull: false },
      previous_secret: { type: DataTypes.STRING(100), allowNull: true },
      previous_secret_until: { type: DataTypes.DATE, allowNull: true },
      failing_since: { type: DataTypes.DATE, allowNull: true },
      deleted_at: { type: DataTypes.DATE, allowNull: true },
      created_at: DataTypes.DATE,
      updated_at: DataTypes.DATE,
    },
    { sequelize, modelName: 'WebhookEndpoint', tableName: 'webhook_endpoints', underscored: true },
  );
  const Delivery = class extends WebhookDelivery {};
  Delivery.init(
    {
      id: { type: DataTypes.UUID, primaryKey: true, defaultValue: DataTypes.UUIDV4 },
      endpoint_id: { type: DataTypes.UUID, allowNull: false },
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
      created_at: DataTypes.DATE,
      updated_at: DataTypes.DATE,
    },
    { sequelize, modelName: 'WebhookDelivery', tableName: 'webhook_deliveries', underscored: true },
  );
  return { WebhookEndpoint: Endpoint, WebhookDelivery: Delivery };
}
