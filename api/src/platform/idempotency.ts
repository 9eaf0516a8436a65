import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { jsonColumn, type Db } from './db.js';
import type { Clock } from './clock.js';
import { AppError, problemBody } from './errors.js';
import { databaseFault } from './db-faults.js';
import { sha256 } from './tokens.js';

const TTL_MS = 24 * 3_600_000;
const WAIT_FOR_FIRST_MS = 15_000;
/** A claim with no answer after this long belongs to a request that died: a retry takes it over. */
const ABANDONED_AFTER_MS = 60_000;
const RELEASE_RETRY_MS = 200;

export interface StoredResponse {
  status: number;
  body: unknown;
}
/** Saves the response inside the caller's transaction, so it commits together with the change. */
export type SaveResponse = (tx: Transaction, response: StoredResponse) => Promise<void>;

/** A stable fingerprint of a request body (key order does not matter). */
export function fingerprint(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return sha256(JSON.stringify(canonical(value)));
}

/** Idempotency-Key handling: one execution per (user, key) for 24 hours; replays return the first response. */
export function idempotencyStore(db: Db, clock: Clock) {
  const { IdempotencyKey } = db.models;
  type Row = { id: string; request_hash: string; response_status: number | null; response_body: unknown; expires_at: string | Date; created_at: string | Date };

  /**
   * Frees an unanswered claim so the client's retry runs. When the database is down the delete
   * fails too; it is then retried in the background until the database is back, so a retry
   * after an outage runs at once instead of waiting for the claim to count as abandoned. An
   * answered row (the change committed after all) is never deleted.
   */
  function release(claimId: string, attempt = 0): Promise<void> {
    // By the claim's own id: a newer claim on the same key (the client's retry) is never touched.
    return db
      .transaction((tx) => IdempotencyKey.destroy({ where: { id: claimId, response_status: null }, transaction: tx }))
      .then(
        () => undefined,
        () => {
          if (attempt * RELEASE_RETRY_MS < ABANDONED_AFTER_MS) setTimeout(() => void release(claimId, attempt + 1), RELEASE_RETRY_MS).unref();
        },
      );
  }

  const load = async (userId: string, key: string) => (await IdempotencyKey.findOne({ where: { user_id: userId, key }, raw: true })) as unknown as Row | null;

  /** Inserts the claim; its id when this request owns the key, else the row someone else holds. */
  async function claim(userId: string, key: string, hash: string): Promise<{ claimId: string } | { held: Row }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimId = randomUUID();
      try {
        await db.transaction((tx) =>
          IdempotencyKey.create({ id: claimId, user_id: userId, key, request_hash: hash, expires_at: new Date(clock.now().getTime() + TTL_MS) }, { transaction: tx }),
        );
        return { claimId };
      } catch (err) {
        if (!(err instanceof UniqueConstraintError)) {
          // The insert may have committed before the connection died: do not leave it blocking the retry.
          if (databaseFault(err)) await release(claimId);
          throw err;
        }
      }
      const existing = await load(userId, key);
      if (!existing) continue; // the holder failed and released it: try again
      // The claim's age on the API's clock (expires_at was set from it; created_at is Sequelize's wall
      // clock, which a test clock moved ahead would make look old).
      const claimedAt = new Date(existing.expires_at).getTime() - TTL_MS;
      const abandoned = existing.response_status === null && clock.now().getTime() - claimedAt > ABANDONED_AFTER_MS;
      if (new Date(existing.expires_at) <= clock.now() || abandoned) {
        await db.transaction((tx) => IdempotencyKey.destroy({ where: { id: existing.id, response_status: existing.response_status }, transaction: tx }));
        continue;
      }
      return { held: existing };
    }
    throw new AppError('idempotency_in_progress', 'Another request with this Idempotency-Key is being processed. Retry in a moment.');
  }

  async function replay(userId: string, key: string, hash: string, row: Row): Promise<StoredResponse | null> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    let current: Row | null = row;
    while (current) {
      if (current.request_hash !== hash) {
        throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request body. Use a new key for a new request.');
      }
      if (current.response_status !== null) {
        return { status: current.response_status, body: jsonColumn(current.response_body) };
      }
      if (Date.now() > deadline) break;
      await sleep(25);
      current = await load(userId, key);
    }
    if (!current) return null;
    throw new AppError('idempotency_in_progress', 'Another request with this Idempotency-Key is still being processed. Retry in a moment.');
  }

  return {
    /** Runs `execute` at most once per user and key; concurrent and later replays get the first response. */
    async run(userId: string, key: string, body: unknown, execute: (save: SaveResponse) => Promise<StoredResponse>): Promise<StoredResponse & { replayed: boolean }> {
      const hash = fingerprint(body);
      for (;;) {
        const claimed = await claim(userId, key, hash);
        if ('held' in claimed) {
          const replayed = await replay(userId, key, hash, claimed.held);
          if (replayed) return { ...replayed, replayed: true };
          continue; // the first request failed and released the key: this one runs
        }
        const { claimId } = claimed;
        const save: SaveResponse = async (tx, response) => {
          const [updated] = await IdempotencyKey.update({ response_status: response.status, response_body: response.body }, { where: { id: claimId }, transaction: tx });
          // Our claim was taken over (it looked abandoned): roll back rather than commit an answer no key records.
          if (updated !== 1) throw new AppError('idempotency_in_progress', 'Another request with this Idempotency-Key took over. Retry in a moment.');
        };
        try {
          return { ...(await execute(save)), replayed: false };
        } catch (err) {
          if (err instanceof AppError && err.status < 500) {
            // A rule violation is the answer to this request: replays get the same problem.
            await db.transaction((tx) => save(tx, { status: err.status, body: problemBody(err, '/v1/bookings') }));
          } else {
            await release(claimId);
          }
          throw err;
        }
      }
    },
  };
}

export type IdempotencyStore = ReturnType<typeof idempotencyStore>;
