import { randomUUID } from 'node:crypto';
import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { Db } from '../platform/db.js';
import { jsonColumn } from '../platform/db.js';
import { toDate } from '../platform/time.js';
import type { JobAttributes, JobModel, JobStatus } from './model.js';

/** A job as the scheduler sees it. */
export interface JobRow {
  id: string;
  name: string;
  key: string | null;
  payload: unknown;
  status: JobStatus;
  run_at: Date;
  attempts: number;
  max_attempts: number;
  locked_until: Date | null;
  lease_token: string | null;
  last_error: string | null;
}

function toRow(m: JobModel): JobRow {
  const r = m.get({ plain: true });
  return {
    id: r.id,
    name: r.name,
    key: r.key,
    payload: jsonColumn(r.payload),
    status: r.status,
    run_at: toDate(r.run_at),
    attempts: Number(r.attempts),
    max_attempts: Number(r.max_attempts),
    locked_until: r.locked_until ? toDate(r.locked_until) : null,
    lease_token: r.lease_token,
    last_error: r.last_error,
  };
}

/** Rows an instance may claim at `now`: due and not leased (a lease that ran out means its holder died). */
function claimable(names: string[], now: Date): WhereOptions<JobAttributes> {
  return {
    name: names,
    status: ['pending', 'running'],
    run_at: { [Op.lte]: now },
    [Op.or]: [{ locked_until: null }, { locked_until: { [Op.lte]: now } }],
  };
}

/** The only code that touches the jobs table. */
export function jobRepository(db: Db) {
  const { Job } = db.models;
  /** Inserts keyed jobs in one statement, leaving those whose key exists; returns the keys that went in. */
  async function insertKeyed(jobs: { name: string; key: string; payload: unknown; run_at: Date; max_attempts: number }[], now: Date, tx: Transaction): Promise<Set<string>> {
    if (!jobs.length) return new Set();
    const rows = jobs.map((job) => ({ ...job, id: randomUUID(), status: 'pending' as const, attempts: 0, created_at: now, updated_at: now }));
    // ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite): a concurrent twin never aborts the caller's transaction.
    if (db.dialect === 'postgres') {
      // RETURNING says which rows went in, in the same statement.
      // (bulkInsert's types omit `ignoreDuplicates`, which its query generator reads.)
      const options = { ignoreDuplicates: true, returning: ['key'], transaction: tx };
      const inserted: unknown = await db.sequelize.getQueryInterface().bulkInsert(Job.getTableName(), rows, options, Job.getAttributes());
      return new Set((Array.isArray(inserted) ? (inserted as { key: string }[]) : []).map((r) => r.key));
    }
    await Job.bulkCreate(rows, { ignoreDuplicates: true, transaction: tx });
    const ours = new Set<string>(rows.map((r) => r.id));
    const found = (await Job.findAll({ where: { key: rows.map((r) => r.key) }, attributes: ['id', 'key'], transaction: tx })).map((m) => m.get({ plain: true }));
    return new Set(found.filter((r) => ours.has(r.id) && r.key !== null).map((r) => r.key!));
  }

  return {
    /** Inserts a job unless one with its key exists; true when inserted. */
    async insert(job: { name: string; key: string | null; payload: unknown; run_at: Date; max_attempts: number }, now: Date, tx: Transaction): Promise<boolean> {
      const { key } = job;
      if (key) return (await insertKeyed([{ ...job, key }], now, tx)).has(key);
      await Job.bulkCreate([{ ...job, id: randomUUID(), status: 'pending' as const, attempts: 0, created_at: now, updated_at: now }], { transaction: tx });
      return true;
    },
    insertKeyed,
    async insertMany(jobs: { name: string; payload: unknown; run_at: Date; max_attempts: number }[], now: Date, tx: Transaction): Promise<void> {
      await Job.bulkCreate(jobs.map((j) => ({ ...j, key: null, status: 'pending' as const, attempts: 0, created_at: now, updated_at: now })), { transaction: tx });
    },
    async findByKey(key: string, tx?: Transaction): Promise<JobRow | null> {
      const m = await Job.findOne({ where: { key }, transaction: tx });
      return m ? toRow(m) : null;
    },
    /** Puts the keyed job back to pending with a new time and payload (unless it is running right now). */
    async reschedule(key: string, changes: { payload: unknown; run_at: Date; max_attempts: number }, now: Date, tx: Transaction): Promise<boolean> {
      const [n] = await Job.update(
        { ...changes, status: 'pending', attempts: 0, last_error: null, finished_at: null, updated_at: now },
        { where: { key, [Op.or]: [{ status: { [Op.ne]: 'running' } }, { locked_until: { [Op.lte]: now } }] }, transaction: tx },
      );
      return n > 0;
    },
    /** Removes the keyed jobs that have not started; returns how many were removed. */
    async removePending(key: string | string[], tx: Transaction): Promise<number> {
      return Job.destroy({ where: { key, status: 'pending' }, transaction: tx });
    },
    /**
     * Claims up to `limit` due jobs for one lease. On PostgreSQL the rows are locked with
     * FOR UPDATE SKIP LOCKED, so instances claiming at once take different rows instead of
     * waiting; on SQLite the writer queue serializes claims (one process per file).
     */
    async claim(names: string[], now: Date, limit: number, leaseUntil: (name: string) => Date, token: string): Promise<JobRow[]> {
      if (!names.length) return [];
      return db.transaction(async (tx) => {
        const due = await Job.findAll({ where: claimable(names, now), order: [['run_at', 'ASC']], limit, lock: tx.LOCK.UPDATE, skipLocked: true, transaction: tx });
        const rows = due.map(toRow);
        // One UPDATE per lease length (jobs of one kind share it), not one per job.
        const byLease = new Map<number, JobRow[]>();
        for (const row of rows) {
          row.status = 'running';
          row.attempts += 1;
          row.locked_until = leaseUntil(row.name);
          row.lease_token = token;
          const same = byLease.get(row.locked_until.getTime()) ?? [];
          same.push(row);
          byLease.set(row.locked_until.getTime(), same);
        }
        for (const [until, same] of byLease) {
          await Job.update(
            { status: 'running', attempts: db.sequelize.literal('attempts + 1'), locked_until: new Date(until), lease_token: token, updated_at: now },
            { where: { id: same.map((r) => r.id) }, transaction: tx },
          );
        }
        return rows;
      });
    },
    /** Records a claim's outcome; false when the lease was lost (another instance took the job over). */
    async finish(id: string, token: string, changes: { status: JobStatus; run_at?: Date; attempts?: number; last_error?: string | null; finished_at?: Date | null }, now: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [n] = await Job.update({ ...changes, locked_until: null, lease_token: null, updated_at: now }, { where: { id, lease_token: token }, transaction: tx });
        return n > 0;
      });
    },
    /**
     * Marks the jobs of one claim that succeeded done, in one statement; returns how many were
     * still this claim's (a job whose lease ran out and was taken over is left to its new owner).
     */
    async finishDone(ids: string[], token: string, now: Date): Promise<number> {
      if (!ids.length) return 0;
      return db.transaction(async (tx) => {
        const [n] = await Job.update({ status: 'done', finished_at: now, last_error: null, locked_until: null, lease_token: null, updated_at: now }, { where: { id: ids, lease_token: token }, transaction: tx });
        return n;
      });
    },
    /**
     * Puts every running job back to pending (after a restore: the leases belong to the process
     * that ran the backed-up database, which will never finish them here). Returns how many.
     * A job that was mid-flight runs again: jobs are at least once (mail may go out twice).
     */
    async releaseAllLeases(now: Date): Promise<number> {
      return db.transaction(async (tx) => {
        const [n] = await Job.update({ status: 'pending', locked_until: null, lease_token: null, updated_at: now }, { where: { status: 'running' }, transaction: tx });
        return n;
      });
    },
    /** How many jobs (of one name) are in each status. */
    async countByStatus(name?: string): Promise<Record<string, number>> {
      const rows = await Job.findAll({ where: name ? { name } : {}, attributes: ['status'] });
      return rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.get({ plain: true }).status]: (acc[r.get({ plain: true }).status] ?? 0) + 1 }), {});
    },
    /** Deletes finished one-off jobs older than `before`. */
    async pruneFinished(before: Date): Promise<number> {
      return db.transaction((tx) => Job.destroy({ where: { key: null, status: ['done', 'failed'], finished_at: { [Op.lt]: before } }, transaction: tx }));
    },
  };
}

export type JobRepository = ReturnType<typeof jobRepository>;
