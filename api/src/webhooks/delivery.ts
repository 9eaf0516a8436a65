import type { Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { MailMessage } from '../platform/mail.js';
import type { DeliveryRow, EndpointRow, WebhookRepository } from './repository.js';
import { signedHeaders } from './signing.js';
import type { AttemptResult } from './sender.js';
import type { DeliveryQueue } from './service.js';

/** Waits before the 2nd, 3rd, ... attempt (Svix's schedule): 8 attempts over about 27.5 hours. */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000];
/** An endpoint whose deliveries have failed, without a success in between, for this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3600_000;

interface Deps {
  db: Db;
  clock: Clock;
  webhooks: WebhookRepository;
  queue: DeliveryQueue;
  /** Sends one attempt (the real one is postWebhook). */
  send(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult>;
  /** Queues the mail telling the owner their endpoint was disabled, in the transaction. */
  mailOwner(tx: Transaction, endpoint: EndpointRow, reason: 'gone' | 'failing'): Promise<void>;
  /** The signature timestamp: the real time, which receivers compare with their own clocks (not the test clock). */
  wallClock?: () => Date;
}

/** The secrets that sign now: the current one, and the previous one until 24 h after a rotation. */
function signingSecrets(e: EndpointRow, now: Date): string[] {
  return e.previous_secret && e.previous_secret_until && e.previous_secret_until > now ? [e.secret, e.previous_secret] : [e.secret];
}

/** Makes one attempt of a delivery and records its outcome: the next attempt, success, or giving up (and disabling). */
export function webhookDelivery({ db, clock, webhooks, queue, send, mailOwner, wallClock = () => new Date() }: Deps) {
  /** Runs attempt number `attempt` of the delivery, unless that attempt already ran or the delivery is settled. */
  async function attempt(deliveryId: string, attemptNo: number): Promise<void> {
    const d = await webhooks.findDeliveryById(deliveryId);
    if (!d || !['pending', 'retrying'].includes(d.status) || d.attempts + 1 !== attemptNo) return;
    const e = await webhooks.findEndpointById(d.endpoint_id);
    if (!e || e.status !== 'enabled') {
      await db.transaction((tx) => webhooks.updateDelivery(d.id, { status: 'failed', next_attempt_at: null, last_error: e ? 'endpoint disabled' : 'endpoint deleted' }, tx));
      return;
    }
    const result = await send(e.url, d.payload, signedHeaders(d.event_id, d.payload, signingSecrets(e, clock.now()), wallClock()));
    await record(d, e.id, attemptNo, result);
  }

  async function record(d: DeliveryRow, endpointId: string, attemptNo: number, result: AttemptResult): Promise<void> {
    const now = clock.now();
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const outcome = { attempts: attemptNo, last_attempt_at: now, response_status: result.status, duration_ms: result.durationMs, last_error: result.error?.slice(0, 500) ?? null };
    await db.transaction(async (tx) => {
      // Locked for the outcome: two deliveries failing at once see each other's failing_since.
      const e = await webhooks.findEndpointById(endpointId, tx);
      if (ok) {
        await webhooks.updateDelivery(d.id, { ...outcome, status: 'succeeded', next_attempt_at: null }, tx);
        if (e?.failing_since) await webhooks.updateEndpoint(endpointId, { failing_since: null }, tx);
        return;
      }
      const failingSince = e?.failing_since ?? now;
      if (e && !e.failing_since) await webhooks.updateEndpoint(endpointId, { failing_since: now }, tx);
      const gone = result.status === 410;
      const tooLong = now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;
      if (e && e.status === 'enabled' && (gone || tooLong)) {
        const reason = gone ? 'gone' : 'failing';
        await webhooks.updateDelivery(d.id, { ...outcome, status: 'failed', next_attempt_at: null }, tx);
        await webhooks.updateEndpoint(endpointId, { status: 'disabled', disabled_reason: reason }, tx);
        await webhooks.failWaiting(endpointId, gone ? 'endpoint answered 410 Gone and was disabled' : 'endpoint failed for 5 days and was disabled', tx);
        await mailOwner(tx, e, reason);
        return;
      }
      const delay = RETRY_DELAYS_MS[attemptNo - 1];
      if (delay === undefined) {
        await webhooks.updateDelivery(d.id, { ...outcome, status: 'failed', next_attempt_at: null }, tx);
        return;
      }
      const next = new Date(now.getTime() + delay);
      await webhooks.updateDelivery(d.id, { ...outcome, status: 'retrying', next_attempt_at: next }, tx);
      await queue.schedule(tx, d.id, next, attemptNo + 1);
    });
  }

  return { attempt };
}

/** The mail an owner gets when an endpoint is disabled. */
export function endpointDisabledMail(to: string, name: string, e: EndpointRow, reason: 'gone' | 'failing'): MailMessage {
  return {
    to,
    template: 'webhook-disabled',
    data: { recipient_name: name, url: e.url, webhook_id: e.id, gone: reason === 'gone' },
  };
}
