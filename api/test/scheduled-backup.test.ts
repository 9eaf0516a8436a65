// A scheduled backup run: writes a backup, applies retention, and reports its outcome on /metrics
// (the backup alerts in docs/monitoring/alerts.yml read backup_last_run_timestamp_seconds).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './harness.js';
import { runScheduledBackup } from '../src/backups/scheduled.js';
import { backupFileName } from '../src/backups/manifest.js';
import { MIGRATION_NAMES } from '../src/migrations/index.js';
import { loadConfig } from '../src/platform/config.js';

describe('scheduled backups', () => {
  let app: TestApp;
  let dir: string;
  const run = (backupDir: string) =>
    runScheduledBackup({ db: app.db, databaseUrl: app.databaseUrl, dir: backupDir, keep: { daily: 2, weekly: 1 }, clock: app.clock, logger: pino({ level: 'silent' }), metrics: app.metrics });
  const metric = async (outcome: string) => {
    const text = (await call(app, 'GET', '/metrics')).body as string;
    return new RegExp(`^backup_last_run_timestamp_seconds\\{outcome="${outcome}"\\} (\\S+)$`, 'm').exec(text)?.[1];
  };

  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-12-01T03:00:00Z') });
    dir = mkdtempSync(path.join(tmpdir(), 'ii-scheduled-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a backup, keeps what the retention rule says, and reports success', async () => {
    const ext = app.db.dialect === 'sqlite' ? 'sqlite' : 'pgdump';
    // Older scheduled backups: three days of them (any bytes will do: retention reads names only).
    for (const day of ['2026-11-28', '2026-11-29', '2026-11-30']) {
      const name = backupFileName(new Date(`${day}T03:00:00Z`), '002-bookings', app.db.dialect);
      writeFileSync(path.join(dir, name), 'old');
      writeFileSync(path.join(dir, `${name}.manifest.json`), '{}');
    }
    const result = await run(dir);
    const schema = MIGRATION_NAMES.at(-1)!.slice(0, 3);
    expect(path.basename(result.file)).toBe(`instainstru-20261201T030000Z-schema${schema}.${ext}`);
    expect(result.removed).toEqual([`instainstru-20261129T030000Z-schema002.${ext}`, `instainstru-20261128T030000Z-schema002.${ext}`]);
    expect(readdirSync(dir).sort()).toEqual(
      [`instainstru-20261201T030000Z-schema${schema}.${ext}`, `instainstru-20261130T030000Z-schema002.${ext}`].flatMap((n) => [n, `${n}.manifest.json`]).sort(),
    );
    expect(await metric('ok')).toBe(String(Date.parse('2026-12-01T03:00:00Z') / 1000));
  });

  it('reports a failed backup on /metrics and rethrows it for the scheduler', async () => {
    const notADirectory = path.join(dir, 'a-file');
    writeFileSync(notADirectory, 'x');
    app.clock.advance(86_400_000);
    await expect(run(notADirectory)).rejects.toThrow();
    expect(await metric('error')).toBe(String(Date.parse('2026-12-02T03:00:00Z') / 1000));
    expect(Number(await metric('error'))).toBeGreaterThan(Number(await metric('ok')));
  });
});

describe('BACKUP_CRON on the job scheduler', () => {
  let app: TestApp;
  let second: TestApp | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ii-cron-'));
    const env = { BACKUP_CRON: '0 3 * * *', BACKUP_DIR: dir, BACKUP_KEEP: 'daily:7,weekly:4' };
    app = await startTestApp({ now: new Date('2026-12-01T02:58:00Z'), env });
    // A second API instance on the same database (PostgreSQL: SQLite is one process per file).
    if (app.db.dialect === 'postgres') second = await startTestApp({ now: new Date('2026-12-01T02:58:00Z'), env, sameDatabaseAs: app });
  });
  afterAll(async () => {
    await second?.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const instances = () => [app, ...(second ? [second] : [])];
  const backups = () => readdirSync(dir).filter((f) => !f.endsWith('.manifest.json'));
  const runAll = () => Promise.all(instances().map((i) => i.services.jobs.runDue()));

  it('refuses a BACKUP_CRON that is not a cron expression at start-up', () => {
    expect(() => loadConfig({ BACKUP_CRON: 'every night' })).toThrow(/BACKUP_CRON: must be a cron expression/);
  });

  it('takes one backup at the scheduled time, whichever instance claims it, and the next one a day later', async () => {
    await runAll();
    expect(backups()).toEqual([]);
    for (const i of instances()) i.clock.set(new Date('2026-12-01T03:00:00Z'));
    await runAll();
    await runAll();
    expect(backups()).toHaveLength(1);
    expect(backups()[0]).toMatch(/^instainstru-20261201T030000Z-/);
    for (const i of instances()) i.clock.set(new Date('2026-12-02T03:00:30Z'));
    await runAll();
    expect(backups()).toHaveLength(2);
  });
});
