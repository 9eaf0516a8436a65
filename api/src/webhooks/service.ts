import type { Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { decodeCursor, pageOf } from '../platform/pagination.js';
import type { DeliveryRow, EndpointRow, WebhookRepository } from './repository.js';
import { eventsOfBookingChange, TEST_EVENT } from './events.js';
import { newEventId, newSecret } from './signing.js';
import { resolvesSafely, urlProblem, type TargetPolicy } from './url-policy.js';

/** How long the previous secret keeps signing beside the new one after a rotation. */
export const PREVIOUS_SECRET_MS = 24 * 3600_000;
/** The most endpoints one account may have. */
export const MAX_ENDPOINTS = 20;

/** Where deliveries go to be attempted: the job scheduler (or, in a test, anything that records them). */
export interface DeliveryQueue {
  /** Schedules attempt number `attempt` of the delivery at `runAt`, inside the caller's transaction. */
  schedule(tx: Transaction, deliveryId: string, runAt: Date, attempt: number): Promise<void>;
  /** Runs what is due soon (called after a commit). */
  kick(): void;
}

/** An endpoint as its owner sees it (never its secret, except once at creation and rotation). */
export function endpointView(e: EndpointRow) {
  return { id: e.id, url: e.url, events: e.events, description: e.description, status: e.status, disabled_reason: e.disabled_reason, created_at: e.created_at };
}

/** A delivery as the endpoint's owner sees it. */
export function deliveryView(d: DeliveryRow) {
  return {
    id: d.id,
    event_id: d.event_id,
    event_type: d.event_type,
    status: d.status,
    attempts: d.attempts,
    response_status: d.response_status,
    duration_ms: d.duration_ms,
    last_error: d.last_error,
    next_attempt_at: d.status === 'pending' || d.status === 'retrying' ? d.next_attempt_at : null,
    last_attempt_at: d.last_attempt_at,
    created_at: d.created_at,
  };
}

const notFound = () => new AppError('not_found', 'No such webhook endpoint. List yours with GET /v1/me/webhooks.');

interface Deps {
  db: Db;
  clock: Clock;
  webhooks: WebhookRepository;
  policy: TargetPolicy;
  queue: DeliveryQueue;
  /** The booking as the API shows it to its participants, inside the change's transaction. */
  bookingView(bookingId: string, tx: Transaction): Promise<unknown>;
}

/** What a booking change's announcement needs of the booking row to know who may hear of it. */
export interface ChangedBooking {
  id: string;
  instructor_id: string;
  student_id: string;
  status: string;
}

/** Webhook endpoints of an account, and the outbox of events for them. */
export function webhookService({ db, clock, webhooks, policy, queue, bookingView }: Deps) {
  async function checkUrl(url: string): Promise<void> {
    const problem = urlProblem(url, policy) ?? (await resolvesSafely(url, policy));
    if (problem) throw new AppError('invalid_webhook_url', `The webhook URL ${problem}.`, { errors: [{ path: '/body/url', message: problem }] });
  }

  async function owned(userId: string, id: string, tx?: Transaction): Promise<EndpointRow> {
    const e = await webhooks.findEndpoint(userId, id, tx);
    if (!e) throw notFound();
    return e;
  }

  /** Writes one delivery per endpoint and schedules each, in the caller's transaction; kicks delivery after commit. */
  async function enqueue(tx: Transaction, endpoints: EndpointRow[], type: string, data: unknown): Promise<DeliveryRow[]> {
    if (endpoints.length === 0) return [];
    const now = clock.now();
    // One event id per owner and change: the same `webhook-id` on each of that owner's endpoints and on every retry.
    const byOwner = new Map<string, { id: string; body: string }>();
    const rows = endpoints.map((e) => {
      let event = byOwner.get(e.user_id);
      if (!event) {
        const id = newEventId();
        event = { id, body: JSON.stringify({ id, type, created_at: now.toISOString(), data }) };
        byOwner.set(e.user_id, event);
      }
      return { endpoint_id: e.id, event_id: event.id, event_type: type, payload: event.body };
    });
    const made = await webhooks.createDeliveries(rows, now, tx);
    for (const d of made) await queue.schedule(tx, d.id, now, 1);
    tx.afterCommit(() => queue.kick());
    return made;
  }

  /** Announces an event to every enabled endpoint of these people that subscribed to it. */
  async function publish(tx: Transaction, type: string, ownerIds: string[], data: unknown): Promise<void> {
    const endpoints = (await webhooks.enabledEndpointsOf([...new Set(ownerIds)], tx)).filter((e) => e.events.includes(type));
    await enqueue(tx, endpoints, type, data);
  }

  return {
    publish,

    /** Called for each entry of a booking's history (the booking as it is now), in one transaction after the change. */
    async onBookingChange(tx: Transaction, change: string, booking: ChangedBooking): Promise<void> {
      const types = eventsOfBookingChange(change, booking.status);
      if (!types.length) return;
      // Who listens first (one query for both people and every type); the booking's view, which
      // takes a few reads, only when someone does.
      const endpoints = await webhooks.enabledEndpointsOf([...new Set([booking.instructor_id, booking.student_id])], tx);
      const heard = types.map((type) => ({ type, to: endpoints.filter((e) => e.events.includes(type)) })).filter((t) => t.to.length);
      if (!heard.length) return;
      const view = await bookingView(booking.id, tx);
      if (!view) return;
      for (const { type, to } of heard) await enqueue(tx, to, type, view);
    },

    /** Registers an endpoint; its secret is in this answer only. */
    async create(userId: string, input: { url: string; events: string[]; description?: string }) {
      await checkUrl(input.url);
      const secret = newSecret();
      const e = await db.transaction(async (tx) => {
        if ((await webhooks.countEndpoints(userId, tx)) >= MAX_ENDPOINTS) {
          throw new AppError('webhook_limit_reached', `An account may have at most ${MAX_ENDPOINTS} webhook endpoints. Delete one first (DELETE /v1/me/webhooks/{id}).`);
        }
        return webhooks.createEndpoint({ user_id: userId, url: input.url, events: [...new Set(input.events)], description: input.description?.trim() ?? '', secret }, tx);
      });
      return { ...endpointView(e), secret };
    },

    async list(userId: string, limit: number, cursor?: string) {
      const after = decodeCursor<{ created_at: string; id: string }>(cursor, ['created_at', 'id']);
      return pageOf(await webhooks.listEndpoints(userId, after, limit), limit, endpointView, (e) => ({ created_at: e.created_at, id: e.id }));
    },

    async get(userId: string, id: string) {
      return endpointView(await owned(userId, id));
    },

    /** Changes the URL, events, description, or enables/disables the endpoint (enabling forgets its failures). */
    async update(userId: string, id: string, patch: { url?: string; events?: string[]; description?: string; status?: 'enabled' | 'disabled' }) {
      if (patch.url !== undefined) await checkUrl(patch.url);
      const e = await db.transaction(async (tx) => {
        const current = await owned(userId, id, tx);
        const changes: Parameters<WebhookRepository['updateEndpoint']>[1] = {};
        if (patch.url !== undefined) changes.url = patch.url;
        if (patch.events !== undefined) changes.events = [...new Set(patch.events)];
        if (patch.description !== undefined) changes.description = patch.description.trim();
        if (patch.status === 'enabled' && current.status !== 'enabled') Object.assign(changes, { status: 'enabled', disabled_reason: null, failing_since: null });
        if (patch.status === 'disabled' && current.status !== 'disabled') {
          Object.assign(changes, { status: 'disabled', disabled_reason: 'manual' });
          await webhooks.failWaiting(id, 'endpoint disabled by its owner', tx);
        }
        return webhooks.updateEndpoint(id, changes, tx);
      });
      return endpointView(e);
    },

    /** Deletes the endpoint: nothing more is sent to it. */
    async remove(userId: string, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        await owned(userId, id, tx);
        await webhooks.failWaiting(id, 'endpoint deleted', tx);
        await webhooks.deleteEndpoint(id, clock.now(), tx);
      });
    },

    /** A new secret, shown once; the old one keeps signing beside it for 24 hours. */
    async rotateSecret(userId: string, id: string) {
      const secret = newSecret();
      const e = await db.transaction(async (tx) => {
        const current = await owned(userId, id, tx);
        return webhooks.updateEndpoint(id, { secret, previous_secret: current.secret, previous_secret_until: new Date(clock.now().getTime() + PREVIOUS_SECRET_MS) }, tx);
      });
      return { ...endpointView(e), secret };
    },

    async deliveries(userId: string, id: string, limit: number, cursor?: string) {
      await owned(userId, id);
      const after = decodeCursor<{ created_at: string; id: string }>(cursor, ['created_at', 'id']);
      return pageOf(await webhooks.listDeliveries(id, after, limit), limit, deliveryView, (d) => ({ created_at: d.created_at, id: d.id }));
    },

    /** Attempts a delivery again now (same event id and body), whatever became of it before. */
    async retry(userId: string, id: string, deliveryId: string) {
      const d = await db.transaction(async (tx) => {
        const e = await owned(userId, id, tx);
        if (e.status !== 'enabled') throw new AppError('webhook_disabled', 'The endpoint is disabled. Enable it first (PATCH /v1/me/webhooks/{id} with {"status":"enabled"}).');
        const found = await webhooks.findDelivery(id, deliveryId, tx);
        if (!found) throw new AppError('not_found', 'No such delivery for this endpoint. List them with GET /v1/me/webhooks/{id}/deliveries.');
        const now = clock.now();
        const updated = await webhooks.updateDelivery(deliveryId, { status: 'pending', next_attempt_at: now }, tx);
        await queue.schedule(tx, deliveryId, now, found.attempts + 1);
        tx.afterCommit(() => queue.kick());
        return updated;
      });
      return deliveryView(d);
    },

    /** Sends a `webhook.test` event to the endpoint (whatever its subscription). */
    async test(userId: string, id: string) {
      const [d] = await db.transaction(async (tx) => {
        const e = await owned(userId, id, tx);
        if (e.status !== 'enabled') throw new AppError('webhook_disabled', 'The endpoint is disabled. Enable it first (PATCH /v1/me/webhooks/{id} with {"status":"enabled"}).');
        return enqueue(tx, [e], TEST_EVENT, { webhook_id: e.id, message: 'This is a test event from InstaInstru.' });
      });
      return deliveryView(d!);
    },
  };
}

export type WebhookService = ReturnType<typeof webhookService>;
