// The durable job scheduler on a real database: due times on the injected clock, dedupe keys,
// retries with backoff, leases taken over after a crash, recurring work, and several instances
// sharing one table (each job runs once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { openDb, type Db } from '../src/platform/db.js';
import { jobRepository } from '../src/jobs/repository.js';
import { jobScheduler } from '../src/jobs/service.js';
import { randomUUID } from 'node:crypto';
import { jsonColumn } from '../src/platform/db.js';
import { migrate, migrator } from '../src/migrations/index.js';
import { freshDatabaseUrl, startTestApp, type TestApp } from './harness.js';

const silent = pino({ level: 'silent' });

describe('job scheduler', () => {
  let app: TestApp;
  /** A second handle on the same database, as a second API instance has (PostgreSQL; SQLite has one process per file). */
  let otherDb: Db;
  const scheduler = (db: Db = app.db) => jobScheduler({ db, jobs: jobRepository(db), clock: app.clock, logger: silent });
  const row = async (key: string) => (await app.db.models.Job.findOne({ where: { key } }))?.get({ plain: true });

  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-12-01T10:00:00Z') });
    otherDb = app.db.dialect === 'postgres' ? await openDb(app.databaseUrl) : app.db;
  });
  afterAll(async () => {
    if (otherDb !== app.db) await otherDb.close();
    await app.close();
  });

  it('runs a job at its due time on the injected clock, with its payload, once', async () => {
    const jobs = scheduler();
    const seen: unknown[] = [];
    jobs.define('t.due', async (payload: { n: number }) => void seen.push(payload));
    await jobs.enqueue('t.due', { n: 1 }, { runAt: new Date(app.clock.now().getTime() + 60_000), key: 't.due:1' });
    await jobs.runDue();
    expect(seen).toEqual([]);
    app.clock.advance(60_000);
    await jobs.runDue();
    await jobs.runDue();
    expect(seen).toEqual([{ n: 1 }]);
    expect((await row('t.due:1'))?.status).toBe('done');
  });

  it('dedupes by key: a second enqueue is a no-op, with replace it moves the job', async () => {
    const jobs = scheduler();
    const seen: unknown[] = [];
    jobs.define('t.key', async (payload: { v: string }) => void seen.push(payload.v));
    const later = (min: number) => new Date(app.clock.now().getTime() + min * 60_000);
    expect(await jobs.enqueue('t.key', { v: 'first' }, { key: 'k1', runAt: later(10) })).toEqual({ created: true });
    expect(await jobs.enqueue('t.key', { v: 'second' }, { key: 'k1', runAt: later(1) })).toEqual({ created: false });
    app.clock.advance(5 * 60_000);
    await jobs.runDue();
    expect(seen).toEqual([]); // the second enqueue did not move it
    await jobs.enqueue('t.key', { v: 'moved' }, { key: 'k1', runAt: later(1), replace: true });
    app.clock.advance(60_000);
    await jobs.runDue();
    expect(seen).toEqual(['moved']);
    // 20 concurrent enqueues of one key make one job.
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => jobs.enqueue('t.key', { v: `c${i}` }, { key: 'k-storm' })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    await jobs.runDue();
    expect(seen.filter((v) => String(v).startsWith('c'))).toHaveLength(1);
  });

  it('writes a job only when the caller\'s transaction commits, and cancels one that has not started', async () => {
    const jobs = scheduler();
    jobs.define('t.tx', async () => undefined);
    await expect(
      app.db.transaction(async (tx) => {
        await jobs.enqueue('t.tx', {}, { key: 'rolled-back', tx });
        throw new Error('the booking failed');
      }),
    ).rejects.toThrow('the booking failed');
    expect(await row('rolled-back')).toBeUndefined();
    await jobs.enqueue('t.tx', {}, { key: 'to-cancel', runAt: new Date(app.clock.now().getTime() + 3_600_000) });
    expect(await jobs.cancel('to-cancel')).toBe(true);
    expect(await row('to-cancel')).toBeUndefined();
  });

  it('retries a failing job with growing backoff, then marks it failed with the last error', async () => {
    const jobs = scheduler();
    const attemptsAt: number[] = [];
    const start = app.clock.now().getTime();
    jobs.define(
      't.flaky',
      async () => {
        attemptsAt.push((app.clock.now().getTime() - start) / 1000);
        throw new Error(`receiver down (${attemptsAt.length})`);
      },
      { maxAttempts: 4 },
    );
    await jobs.enqueue('t.flaky', {}, { key: 'flaky' });
    for (let s = 0; s < 20 * 60; s += 10) {
      await jobs.runDue();
      app.clock.advance(10_000);
    }
    // 30 s * 2^attempt after each failure: 60 s, 120 s, 240 s.
    expect(attemptsAt).toEqual([0, 60, 180, 420]);
    const r = await row('flaky');
    expect([r?.status, r?.attempts, r?.last_error]).toEqual(['failed', 4, 'receiver down (4)']);
  });

  it('takes over a job whose instance died mid-run once its lease has expired, and leaves a live lease alone', async () => {
    const jobs = scheduler();
    const seen: string[] = [];
    jobs.define('t.lease', async (p: { who: string }) => void seen.push(p.who), { leaseMs: 60_000 });
    const now = app.clock.now().getTime();
    const leased = (who: string, lockedUntil: number) =>
      app.db.models.Job.create({ name: 't.lease', key: `lease-${who}`, payload: { who }, status: 'running', run_at: new Date(now - 120_000), attempts: 1, max_attempts: 5, locked_until: new Date(lockedUntil), lease_token: '00000000-0000-4000-8000-000000000002' });
    await leased('crashed', now - 1);
    await leased('alive', now + 30_000);
    await jobs.runDue();
    expect(seen).toEqual(['crashed']);
    expect([(await row('lease-crashed'))?.status, (await row('lease-crashed'))?.attempts]).toEqual(['done', 2]);
    expect((await row('lease-alive'))?.status).toBe('running');
  });

  it('runs each of 60 jobs once when two instances claim at the same time', async () => {
    const counts = new Map<number, number>();
    const handler = async (p: { n: number }) => {
      await new Promise((r) => setTimeout(r, 2));
      counts.set(p.n, (counts.get(p.n) ?? 0) + 1);
    };
    const a = scheduler();
    const b = scheduler(otherDb);
    a.define('t.shared', handler);
    b.define('t.shared', handler);
    await app.db.transaction((tx) => a.enqueueMany('t.shared', Array.from({ length: 60 }, (_, n) => ({ n })), tx));
    await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it('claims a batch in one UPDATE and records its successes in one more, failures one by one', async () => {
    const jobs = scheduler();
    jobs.define('t.batch', async (p: { n: number }) => {
      if (p.n === 7) throw new Error('seven fails');
    });
    await app.db.transaction((tx) => jobs.enqueueMany('t.batch', Array.from({ length: 20 }, (_, n) => ({ n })), tx));
    const updates: string[] = [];
    // Sequelize logs each statement it sends through options.logging (`options` is not in its types).
    const options = (app.db.sequelize as unknown as { options: { logging: false | ((sql: string) => void) } }).options;
    const before = options.logging;
    options.logging = (statement: string) => {
      if (/UPDATE\s+[`"]?jobs[`"]?\s/i.test(statement)) updates.push(statement);
    };
    try {
      await jobs.runDue();
    } finally {
      options.logging = before;
    }
    const rows = (await app.db.models.Job.findAll({ where: { name: 't.batch' } })).map((m) => m.get({ plain: true }));
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(19);
    const failed = rows.filter((r) => r.status === 'pending');
    expect(failed.map((r) => (jsonColumn(r.payload) as { n: number }).n)).toEqual([7]);
    expect(failed[0]!.last_error).toBe('seven fails');
    expect(rows.every((r) => r.lease_token === null && r.locked_until === null)).toBe(true);
    // One claim, one UPDATE for the 19 successes, one for the failure's retry.
    expect(updates).toHaveLength(3);
  });

  it('runs a batch\'s off-database jobs (mail) all at once, beside at most 4 database jobs', async () => {
    const jobs = scheduler();
    let running = { db: 0, off: 0 };
    let peak = { db: 0, off: 0 };
    const hold = (kind: 'db' | 'off') => async () => {
      running = { ...running, [kind]: running[kind] + 1 };
      peak = { db: Math.max(peak.db, running.db), off: Math.max(peak.off, running.off) };
      await new Promise((resolve) => setTimeout(resolve, 50));
      running = { ...running, [kind]: running[kind] - 1 };
    };
    jobs.define('t.db', hold('db'));
    jobs.define('t.off', hold('off'), { offDatabase: true });
    await app.db.transaction(async (tx) => {
      await jobs.enqueueMany('t.db', Array.from({ length: 8 }, (_, n) => ({ n })), tx);
      await jobs.enqueueMany('t.off', Array.from({ length: 12 }, (_, n) => ({ n })), tx);
    });
    await jobs.runDue();
    expect(peak).toEqual({ db: 4, off: 12 });
    const rows = (await app.db.models.Job.findAll({ where: { name: ['t.db', 't.off'] } })).map((m) => m.get({ plain: true }));
    expect(rows.map((r) => r.status)).toEqual(Array(20).fill('done'));
  });

  it('runs recurring work once per interval across instances', async () => {
    const runs: string[] = [];
    const a = scheduler();
    const b = scheduler(otherDb);
    a.every('t.tick', 3_600_000, async () => void runs.push('a'));
    b.every('t.tick', 3_600_000, async () => void runs.push('b'));
    await Promise.all([a.runDue(), b.runDue()]); // both write the schedule; the key keeps one row
    expect(runs).toEqual([]);
    for (let hour = 1; hour <= 3; hour++) {
      app.clock.advance(3_600_000);
      await Promise.all([a.runDue(), b.runDue()]);
      expect(runs).toHaveLength(hour);
    }
    const r = await row('every:t.tick');
    expect([r?.status, new Date(r!.run_at).getTime()]).toEqual(['pending', app.clock.now().getTime() + 3_600_000]);
  });
});

describe('migration 005', () => {
  it('moves undelivered mail of the old outbox onto the scheduler and keeps sent mail as done jobs', async () => {
    const database = await freshDatabaseUrl();
    const db = await openDb(database.url);
    try {
      await migrator(db).up({ to: '004-sessions' });
      const at = new Date('2026-11-30T12:00:00Z');
      const mail = (recipient: string, status: string) => ({ id: randomUUID(), recipient, template: 'password-reset', data: JSON.stringify({ full_name: 'Ada' }), attachments: '[]', status, attempts: status === 'sent' ? 1 : 2, next_attempt_at: at, last_error: null, sent_at: status === 'sent' ? at : null, created_at: at });
      await db.sequelize.getQueryInterface().bulkInsert('mail_outbox', [mail('waiting@example.com', 'pending'), mail('stuck@example.com', 'sending'), mail('sent@example.com', 'sent')]);
      await migrate(db);
      const jobs = (await db.models.Job.findAll({ order: [['created_at', 'ASC']] })).map((m) => m.get({ plain: true }));
      const summary = jobs.filter((j) => j.name === 'mail.send').map((j) => [jsonColumn<{ to: string; data: unknown }>(j.payload).to, j.status, j.attempts, jsonColumn<{ data: unknown }>(j.payload).data]).sort();
      expect(summary).toEqual([
        ['sent@example.com', 'done', 1, { full_name: 'Ada' }],
        ['stuck@example.com', 'pending', 2, { full_name: 'Ada' }],
        ['waiting@example.com', 'pending', 2, { full_name: 'Ada' }],
      ]);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
