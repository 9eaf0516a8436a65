import { Op, type Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import { jsonColumn } from '../platform/db.js';
import { iso } from '../platform/time.js';
import type { DeliveryStatus, DisabledReason, EndpointStatus, WebhookDelivery, WebhookEndpoint } from './model.js';

/** An endpoint as the service sees it. */
export interface EndpointRow {
  id: string;
  user_id: string;
  url: string;
  events: string[];
  description: string;
  status: EndpointStatus;
  disabled_reason: DisabledReason | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  failing_since: Date | null;
  created_at: string;
}

/** A delivery as the service sees it. */
export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  response_status: number | null;
  duration_ms: number | null;
  last_error: string | null;
  created_at: string;
}

const at = (d: Date | string | null) => (d ? new Date(d) : null);

function toEndpoint(m: WebhookEndpoint): EndpointRow {
  const r = m.get({ plain: true });
  return {
    id: r.id,
    user_id: r.user_id,
    url: r.url,
    events: jsonColumn<string[]>(r.events),
    description: r.description,
    status: r.status,
    disabled_reason: r.disabled_reason,
    secret: r.secret,
    previous_secret: r.previous_secret,
    previous_secret_until: at(r.previous_secret_until),
    failing_since: at(r.failing_since),
    created_at: iso(r.created_at),
  };
}

function toDelivery(m: WebhookDelivery): DeliveryRow {
  const r = m.get({ plain: true });
  return {
    id: r.id,
    endpoint_id: r.endpoint_id,
    event_id: r.event_id,
    event_type: r.event_type,
    payload: r.payload,
    status: r.status,
    attempts: Number(r.attempts),
    next_attempt_at: r.next_attempt_at ? iso(r.next_attempt_at) : null,
    last_attempt_at: r.last_attempt_at ? iso(r.last_attempt_at) : null,
    response_status: r.response_status === null || r.response_status === undefined ? null : Number(r.response_status),
    duration_ms: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
    last_error: r.last_error ?? null,
    created_at: iso(r.created_at),
  };
}

type EndpointChanges = Partial<Pick<EndpointRow, 'url' | 'events' | 'description' | 'status' | 'disabled_reason' | 'secret' | 'previous_secret' | 'previous_secret_until' | 'failing_since'>>;
type DeliveryChanges = Partial<{ status: DeliveryStatus; attempts: number; next_attempt_at: Date | null; last_attempt_at: Date; response_status: number | null; duration_ms: number | null; last_error: string | null }>;

/** The only code that touches the webhook tables. */
export function webhookRepository(db: Db) {
  const { WebhookEndpoint: Endpoint, WebhookDelivery: Delivery } = db.models;
  const live = { deleted_at: null };
  return {
    async countEndpoints(userId: string, tx: Transaction): Promise<number> {
      return Endpoint.count({ where: { user_id: userId, ...live }, transaction: tx });
    },
    async createEndpoint(e: Pick<EndpointRow, 'user_id' | 'url' | 'events' | 'description' | 'secret'>, tx: Transaction): Promise<EndpointRow> {
      const m = await Endpoint.create({ ...e, status: 'enabled', disabled_reason: null, previous_secret: null, previous_secret_until: null, failing_since: null, deleted_at: null }, { transaction: tx });
      return toEndpoint(m);
    },
    /** One of the user's endpoints (locked inside a transaction on PostgreSQL); another user's does not exist. */
    async findEndpoint(userId: string, id: string, tx?: Transaction): Promise<EndpointRow | null> {
      const m = await Endpoint.findOne({ where: { id, user_id: userId, ...live }, transaction: tx, lock: tx?.LOCK.UPDATE });
      return m ? toEndpoint(m) : null;
    },
    async findEndpointById(id: string, tx?: Transaction): Promise<EndpointRow | null> {
      const m = await Endpoint.findOne({ where: { id, ...live }, transaction: tx, lock: tx?.LOCK.UPDATE });
      return m ? toEndpoint(m) : null;
    },
    async listEndpoints(userId: string, after: { created_at: string; id: string } | undefined, limit: number): Promise<EndpointRow[]> {
      const where = after
        ? { user_id: userId, ...live, [Op.or]: [{ created_at: { [Op.gt]: new Date(after.created_at) } }, { created_at: new Date(after.created_at), id: { [Op.gt]: after.id } }] }
        : { user_id: userId, ...live };
      const rows = await Endpoint.findAll({ where, order: [['created_at', 'ASC'], ['id', 'ASC']], limit: limit + 1 });
      return rows.map(toEndpoint);
    },
    /** The enabled endpoints of these users (events are filtered by the caller). */
    async enabledEndpointsOf(userIds: string[], tx: Transaction): Promise<EndpointRow[]> {
      const rows = await Endpoint.findAll({ where: { user_id: userIds, status: 'enabled', ...live }, transaction: tx });
      return rows.map(toEndpoint);
    },
    async updateEndpoint(id: string, changes: EndpointChanges, tx: Transaction): Promise<EndpointRow> {
      await Endpoint.update(changes, { where: { id }, transaction: tx });
      return toEndpoint((await Endpoint.findByPk(id, { transaction: tx }))!);
    },
    async deleteEndpoint(id: string, now: Date, tx: Transaction): Promise<void> {
      await Endpoint.update({ deleted_at: now, status: 'disabled', disabled_reason: 'manual' }, { where: { id }, transaction: tx });
    },
    async createDeliveries(rows: Pick<DeliveryRow, 'endpoint_id' | 'event_id' | 'event_type' | 'payload'>[], now: Date, tx: Transaction): Promise<DeliveryRow[]> {
      if (rows.length === 0) return [];
      const made = await Delivery.bulkCreate(rows.map((r) => ({ ...r, status: 'pending' as const, attempts: 0, next_attempt_at: now })), { transaction: tx });
      return made.map(toDelivery);
    },
    async findDelivery(endpointId: string, id: string, tx?: Transaction): Promise<DeliveryRow | null> {
      const m = await Delivery.findOne({ where: { id, endpoint_id: endpointId }, transaction: tx, lock: tx?.LOCK.UPDATE });
      return m ? toDelivery(m) : null;
    },
    async findDeliveryById(id: string, tx?: Transaction): Promise<DeliveryRow | null> {
      const m = await Delivery.findByPk(id, { transaction: tx, lock: tx?.LOCK.UPDATE });
      return m ? toDelivery(m) : null;
    },
    /** An endpoint's deliveries, newest first. */
    async listDeliveries(endpointId: string, after: { created_at: string; id: string } | undefined, limit: number): Promise<DeliveryRow[]> {
      const where = after
        ? { endpoint_id: endpointId, [Op.or]: [{ created_at: { [Op.lt]: new Date(after.created_at) } }, { created_at: new Date(after.created_at), id: { [Op.lt]: after.id } }] }
        : { endpoint_id: endpointId };
      const rows = await Delivery.findAll({ where, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: limit + 1 });
      return rows.map(toDelivery);
    },
    async updateDelivery(id: string, changes: DeliveryChanges, tx: Transaction): Promise<DeliveryRow> {
      await Delivery.update(changes, { where: { id }, transaction: tx });
      return toDelivery((await Delivery.findByPk(id, { transaction: tx }))!);
    },
    /** Deletes settled deliveries last attempted before `before` (the list keeps 30 days of history). */
    async pruneSettled(before: Date, tx: Transaction): Promise<number> {
      return Delivery.destroy({ where: { status: ['succeeded', 'failed'], last_attempt_at: { [Op.lt]: before } }, transaction: tx });
    },
    /** Gives up the endpoint's waiting deliveries (it was disabled or deleted). */
    async failWaiting(endpointId: string, reason: string, tx: Transaction): Promise<void> {
      await Delivery.update({ status: 'failed', next_attempt_at: null, last_error: reason }, { where: { endpoint_id: endpointId, status: ['pending', 'retrying'] }, transaction: tx });
    },
  };
}

export type WebhookRepository = ReturnType<typeof webhookRepository>;
