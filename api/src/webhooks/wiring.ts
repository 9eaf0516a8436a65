import type { Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { MailOutbox } from '../platform/outbox.js';
import type { JobScheduler } from '../jobs/service.js';
import type { AccountRepository } from '../accounts/repository.js';
import { webhookRepository } from './repository.js';
import { webhookService, type DeliveryQueue } from './service.js';
import { endpointDisabledMail, webhookDelivery } from './delivery.js';
import { postWebhook } from './sender.js';
import type { TargetPolicy } from './url-policy.js';

/** The job that makes one attempt of a delivery. */
const DELIVER_JOB = 'webhook.deliver';
/** How long the deliveries list remembers a settled delivery. */
const DELIVERY_HISTORY_MS = 30 * 24 * 3_600_000;

/**
 * Webhooks on the job scheduler: each attempt is a `webhook.deliver` job written in the same
 * transaction as the delivery (or the previous attempt's outcome) and run after commit.
 */
export function buildWebhooks(deps: {
  db: Db;
  clock: Clock;
  jobs: JobScheduler;
  outbox: MailOutbox;
  accounts: AccountRepository;
  policy: TargetPolicy;
  timeoutMs: number;
  bookingView: (bookingId: string, tx: Transaction) => Promise<unknown>;
}) {
  const { db, clock, jobs, outbox, accounts, policy } = deps;
  const webhooks = webhookRepository(db);
  // Keyed by delivery and attempt; a retry by hand moves an attempt already waiting to now.
  const queue: DeliveryQueue = {
    async schedule(tx, deliveryId, runAt, attempt) {
      await jobs.enqueue(DELIVER_JOB, { delivery_id: deliveryId, attempt }, { runAt, tx, key: `webhook:${deliveryId}:${attempt}`, replace: true });
    },
    kick: () => jobs.kick(),
  };
  const delivery = webhookDelivery({
    db,
    clock,
    webhooks,
    queue,
    send: (url, body, headers) => postWebhook(url, body, headers, { timeoutMs: deps.timeoutMs, policy }),
    async mailOwner(tx, endpoint, reason) {
      const owner = await accounts.findUserById(endpoint.user_id, tx);
      if (owner) await outbox.enqueue(tx, [endpointDisabledMail(owner.email, owner.full_name, endpoint, reason)]);
    },
  });
  // An attempt records its own outcome (and schedules the next one); a throw here is a fault of
  // ours (the database), which the scheduler retries with its backoff.
  // Settled deliveries (and their bodies) are kept 30 days for the deliveries list, then deleted.
  jobs.every('webhooks.prune', 6 * 3_600_000, () => db.transaction((tx) => webhooks.pruneSettled(new Date(clock.now().getTime() - DELIVERY_HISTORY_MS), tx)));
  jobs.define(DELIVER_JOB, (p: { delivery_id: string; attempt: number }) => delivery.attempt(p.delivery_id, p.attempt), { maxAttempts: 5 });
  return webhookService({ db, clock, webhooks, policy, queue, bookingView: deps.bookingView });
}
