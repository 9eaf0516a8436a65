/**
 * The durable job scheduler: one `jobs` table that every API instance shares, driven by the
 * injected clock (which the test clock moves).
 *
 *   jobs.define(name, handler, opts?)            handler(payload, job) for one-off jobs of that name
 *   jobs.enqueue(name, payload, {runAt?, key?, tx?, replace?}) -> {created}
 *                                               one-off job, due at runAt (default now); `key`
 *                                               dedupes (a second enqueue with the key is a no-op,
 *                                               or with `replace` moves the job to the new time and
 *                                               payload); pass `tx` to write it in the caller's
 *                                               transaction (it then exists only if that commits)
 *   jobs.enqueueKeyed(name, [{key, payload, runAt}], tx, {replace?})
 *                                               many keyed one-off jobs in one INSERT
 *   jobs.cancel(key | keys, tx?)                 drops keyed jobs that have not started
 *   jobs.every(name, intervalMs, fn, opts?)      recurring work, run by one instance at a time
 *   jobs.cron(name, expression, fn, opts?)       recurring at a cron expression (UTC)
 *   jobs.runDue()                                runs everything due now, until nothing is; resolves then
 *   jobs.kick()                                  runDue soon, coalesced (call after a commit)
 *   jobs.start(pollMs) / jobs.stop()             the poller (stop waits for running handlers)
 *
 * opts: maxAttempts (default 10), backoffMs(attempt) (default 30 s * 2^attempt, at most 1 h),
 * leaseMs (default 5 min: how long a claim holds before another instance may take the job over).
 * A handler that throws is retried after the backoff until maxAttempts, then the job is `failed`
 * (a recurring job instead waits for its next regular run). Handlers must be idempotent: a job
 * whose instance died mid-run runs again once its lease has expired.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { Logger } from 'pino';
import { Cron } from 'croner';
import { inTransactionBatch, type Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { JobRepository, JobRow } from './repository.js';

export interface JobOptions {
  maxAttempts?: number;
  backoffMs?: (attempt: number) => number;
  leaseMs?: number;
  /**
   * The handler uses no database connection while it runs (e.g. it only talks to an SMTP
   * server): a batch runs all of these at once, beside its CONCURRENCY database jobs.
   */
  offDatabase?: boolean;
}

type Handler = (payload: never, job: JobRow) => Promise<unknown>;

interface Definition {
  handler: Handler;
  maxAttempts: number;
  backoffMs: (attempt: number) => number;
  leaseMs: number;
  offDatabase: boolean;
  /** Recurring jobs: the next regular run after `now`, and the row's key. */
  recurring?: { key: string; next: (now: Date) => Date; schedule: string };
}

const BATCH = 20;
/** Jobs of one batch running at once. */
const CONCURRENCY = 4;
const defaultBackoff = (attempt: number) => Math.min(30_000 * 2 ** attempt, 3_600_000);

/** A cron expression's next run after a moment (UTC); throws on a bad expression. */
export function cronSchedule(expression: string): (after: Date) => Date {
  const cron = new Cron(expression, { timezone: 'Etc/UTC', paused: true });
  return (after) => cron.nextRun(after) ?? new Date(8.64e15);
}

/** Builds the scheduler over the jobs table. */
export function jobScheduler({ db, jobs, clock, logger }: { db: Db; jobs: JobRepository; clock: Clock; logger: Logger }) {
  const definitions = new Map<string, Definition>();
  let recurringEnsured = false;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  function define(name: string, handler: Handler, opts: JobOptions = {}, recurring?: Definition['recurring']): void {
    definitions.set(name, { handler, maxAttempts: opts.maxAttempts ?? 10, backoffMs: opts.backoffMs ?? defaultBackoff, leaseMs: opts.leaseMs ?? 300_000, offDatabase: opts.offDatabase ?? false, recurring });
    if (recurring) recurringEnsured = false;
  }

  function definition(name: string): Definition {
    const d = definitions.get(name);
    if (!d) throw new Error(`job "${name}" is not defined`);
    return d;
  }

  /** Writes the row of each recurring job that has none yet (every instance tries; the key keeps one). */
  async function ensureRecurring(): Promise<void> {
    if (recurringEnsured) return;
    const now = clock.now();
    for (const [name, d] of definitions) {
      if (!d.recurring) continue;
      const payload = { schedule: d.recurring.schedule };
      await db.transaction(async (tx) => {
        const existing = await jobs.findByKey(d.recurring!.key, tx);
        if (!existing) await jobs.insert({ name, key: d.recurring!.key, payload, run_at: d.recurring!.next(now), max_attempts: d.maxAttempts }, now, tx);
        // A changed schedule (a new BACKUP_CRON) takes effect now, not after the old one's next run.
        else if ((existing.payload as { schedule?: string }).schedule !== d.recurring!.schedule) await jobs.reschedule(d.recurring!.key, { payload, run_at: d.recurring!.next(now), max_attempts: d.maxAttempts }, now, tx);
      });
    }
    recurringEnsured = true;
  }

  /**
   * Runs one claimed job. A one-off job that succeeded is only reported (`true`): the batch marks
   * all of those done in one statement. Any other outcome (a retry, a failure, a recurring job's
   * next run) is written here.
   */
  async function execute(job: JobRow): Promise<boolean> {
    const d = definition(job.name);
    let outcome: Parameters<JobRepository['finish']>[2];
    try {
      await d.handler(job.payload as never, job);
      if (!d.recurring) return true;
      outcome = { status: 'pending', run_at: d.recurring.next(clock.now()), attempts: 0, last_error: null };
    } catch (err) {
      const now = clock.now();
      const lastError = String((err as Error)?.message ?? err).slice(0, 500);
      const exhausted = job.attempts >= d.maxAttempts;
      logger.warn({ err, job: job.id, name: job.name, attempts: job.attempts }, exhausted ? 'job failed for good' : 'job failed; will retry');
      if (!exhausted) outcome = { status: 'pending', run_at: new Date(now.getTime() + d.backoffMs(job.attempts)), last_error: lastError };
      else if (d.recurring) outcome = { status: 'pending', run_at: d.recurring.next(now), attempts: 0, last_error: lastError };
      else outcome = { status: 'failed', finished_at: now, last_error: lastError };
    }
    if (!(await jobs.finish(job.id, job.lease_token!, outcome, clock.now()))) logger.warn({ job: job.id, name: job.name }, 'job lease lost before it finished; another instance owns it now');
    return false;
  }

  /** One pass: claim due jobs in batches and run them, until none is due. */
  async function pass(): Promise<void> {
    await ensureRecurring();
    const names = [...definitions.keys()];
    for (;;) {
      const now = clock.now();
      const token = randomUUID();
      const claimed = await jobs.claim(names, now, BATCH, (name) => new Date(now.getTime() + definition(name).leaseMs), token);
      if (!claimed.length) return;
      // A few at a time: each job takes a database connection (and on SQLite a turn of the
      // writer), so the background work never crowds out the requests that scheduled it.
      // Jobs that hold no connection while they run (mail) all start at once beside them.
      const done: string[] = [];
      const run = async (job: JobRow) => {
        if (await execute(job).catch((err) => logger.error({ err, job: job.id }, 'job outcome not recorded'))) done.push(job.id);
      };
      const bound = claimed.filter((job) => !definition(job.name).offDatabase);
      let next = 0;
      const worker = async () => {
        while (next < bound.length) await run(bound[next++]!);
      };
      await Promise.all([...claimed.filter((job) => definition(job.name).offDatabase).map(run), ...Array.from({ length: Math.min(CONCURRENCY, bound.length) }, worker)]);
      // The batch's successes in one UPDATE (one writer turn), not one transaction per job. A
      // process that dies before it runs them again once their lease is out: at least once.
      const finished = await jobs.finishDone(done, token, clock.now()).catch((err) => {
        logger.error({ err, jobs: done.length }, 'job outcomes not recorded');
        return done.length;
      });
      if (finished < done.length) logger.warn({ lost: done.length - finished }, 'job leases lost before they finished; another instance owns them now');
    }
  }

  function runDue(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass().catch((err) => logger.error({ err }, 'job scheduler pass failed'));
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    define(name: string, handler: (payload: never, job: JobRow) => Promise<unknown>, opts?: JobOptions): void {
      define(name, handler, opts);
    },
    /** Recurring work every `intervalMs` (the first run one interval from now), on one instance at a time. */
    every(name: string, intervalMs: number, fn: () => Promise<unknown>, opts?: JobOptions): void {
      define(name, fn, opts, { key: `every:${name}`, next: (now) => new Date(now.getTime() + intervalMs), schedule: `every ${intervalMs} ms` });
    },
    /** Recurring work at a cron expression, in UTC. */
    cron(name: string, expression: string, fn: () => Promise<unknown>, opts?: JobOptions): void {
      define(name, fn, opts, { key: `cron:${name}`, next: cronSchedule(expression), schedule: `cron ${expression}` });
    },
    /** Adds a one-off job; `created` is false when a job with the key already existed (and was left, or moved with `replace`). */
    async enqueue(name: string, payload: unknown, opts: { runAt?: Date; key?: string; tx?: Transaction; replace?: boolean } = {}): Promise<{ created: boolean }> {
      const d = definition(name);
      const now = clock.now();
      const write = async (tx: Transaction) => {
        const row = { name, key: opts.key ?? null, payload, run_at: opts.runAt ?? now, max_attempts: d.maxAttempts };
        const created = await jobs.insert(row, now, tx);
        if (!created && opts.replace && opts.key) await jobs.reschedule(opts.key, row, now, tx);
        return { created };
      };
      return opts.tx ? write(opts.tx) : db.transaction(write);
    },
    /** Adds many one-off jobs without keys in the caller's transaction (e.g. one mail per participant). */
    async enqueueMany(name: string, payloads: unknown[], tx: Transaction): Promise<void> {
      const d = definition(name);
      const now = clock.now();
      // Written with the transaction's other new jobs in one INSERT just before it commits.
      await inTransactionBatch(tx, 'jobs', payloads.map((payload) => ({ name, payload, run_at: now, max_attempts: d.maxAttempts })), (rows) => jobs.insertMany(rows, now, tx));
    },
    /**
     * Adds keyed one-off jobs in the caller's transaction, in one statement for all of them (e.g.
     * the reminders of a lesson); with `replace`, those whose key existed are moved to their new
     * time and payload (one statement each). Returns the keys that were new.
     */
    async enqueueKeyed(name: string, items: { key: string; payload: unknown; runAt: Date }[], tx: Transaction, opts: { replace?: boolean } = {}): Promise<Set<string>> {
      const d = definition(name);
      const now = clock.now();
      const rows = items.map((i) => ({ name, key: i.key, payload: i.payload, run_at: i.runAt, max_attempts: d.maxAttempts }));
      const created = await jobs.insertKeyed(rows, now, tx);
      if (opts.replace) for (const row of rows) if (!created.has(row.key)) await jobs.reschedule(row.key, row, now, tx);
      return created;
    },
    /** Drops keyed jobs that have not started; true when one was dropped. */
    async cancel(key: string | string[], tx?: Transaction): Promise<boolean> {
      if (Array.isArray(key) && !key.length) return false;
      return (await (tx ? jobs.removePending(key, tx) : db.transaction((t) => jobs.removePending(key, t)))) > 0;
    },
    /** The keyed job, if any (its status, time and attempts). */
    find: (key: string) => jobs.findByKey(key),
    runDue,
    kick(): void {
      void runDue();
    },
    start(pollMs = 5_000): void {
      timer ??= setInterval(() => void runDue(), pollMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export type JobScheduler = ReturnType<typeof jobScheduler>;
