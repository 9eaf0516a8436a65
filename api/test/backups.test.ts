// npm run backup / npm run restore as an operator runs them: files, manifest, refusals, schema versions.
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { freshDatabaseUrl, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';
import { runOperatorCommand } from './ops-helpers.js';
import { openDb } from '../src/platform/db.js';
import { migrate, migrator, MIGRATION_NAMES } from '../src/migrations/index.js';
import type { Manifest } from '../src/backups/manifest.js';

const count = async (url: string, table: string) => {
  const db = await openDb(url);
  try {
    const [row] = await db.sequelize.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`, { type: QueryTypes.SELECT });
    return Number(row?.n);
  } finally {
    await db.close();
  }
};

describe('npm run backup and npm run restore', () => {
  let app: TestApp;
  let dir: string;
  let file: string;
  let manifest: Manifest;
  const drops: (() => Promise<void>)[] = [];
  const fresh = async () => {
    const d = await freshDatabaseUrl();
    drops.push(d.drop);
    return d.url;
  };
  const backup = (url: string) => runOperatorCommand('backup', [], { DATABASE_URL: url, BACKUP_DIR: dir, DATA_DIR: dir });
  const restore = (url: string, args: string[]) => runOperatorCommand('restore', args, { DATABASE_URL: url, DATA_DIR: dir });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ii-backups-'));
    app = await startTestApp();
    await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
    await registerUser(app, 'student');
    const res = await backup(app.databaseUrl);
    expect(res.code, res.stderr).toBe(0);
    file = /Backup written: (\S+)/.exec(res.stdout)![1]!;
    manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')) as Manifest;
  }, 120_000);

  afterAll(async () => {
    await app.close();
    for (const drop of drops) await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the file by time and schema version and writes a manifest with size, SHA-256 and row counts', () => {
    const ext = app.db.dialect === 'sqlite' ? 'sqlite' : 'pgdump';
    const newest = MIGRATION_NAMES.at(-1)!;
    expect(path.basename(file)).toMatch(new RegExp(`^instainstru-\\d{8}T\\d{6}Z-schema${newest.slice(0, 3)}\\.${ext}$`));
    expect(manifest).toMatchObject({ format: 'instainstru-backup/1', file: path.basename(file), dialect: app.db.dialect, schema_version: newest, migrations: [...MIGRATION_NAMES] });
    expect(manifest.size).toBe(statSync(file).size);
    expect(manifest.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(manifest.tables).toMatchObject({ users: 2, services: 1, availability_ranges: 1, schema_migrations: MIGRATION_NAMES.length, bookings: 0 });
    // The whole database (password hashes, personal data): owner-only, like the API's own files.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}.manifest.json`).mode & 0o777).toBe(0o600);
  });

  it('restores into an empty database, then refuses a non-empty one without --force', async () => {
    const target = await fresh();
    if (target.startsWith('sqlite:')) {
      // An API server holds the file's lock (here: this live process): the file is never swapped under it.
      const lock = `${path.resolve(target.slice('sqlite:'.length))}.lock`;
      writeFileSync(lock, `${process.pid}\n`);
      const locked = await restore(target, [file]);
      rmSync(lock);
      expect(locked.code).toBe(3);
      expect(locked.stderr).toContain(`refused: Another API server (pid ${process.pid}) is using`);
    }
    const first = await restore(target, [file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/checked: +integrity ok, \d+ rows in \d+ tables match the manifest/);
    expect(await count(target, 'users')).toBe(2);
    if (target.startsWith('sqlite:')) expect(statSync(target.slice('sqlite:'.length)).mode & 0o777).toBe(0o600);
    const again = await restore(target, [file]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/refused: .* is not empty\. Restore into an empty database, or pass --force to replace it\./);
  });

  it('--force replaces a database only when confirmed: never silently without a terminal', async () => {
    const target = await fresh();
    expect((await restore(target, [file])).code).toBe(0);
    const db = await openDb(target);
    await db.sequelize.query('DELETE FROM services');
    await db.close();
    const unconfirmed = await restore(target, [file, '--force']);
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain('--force needs a confirmation, but stdin is not a terminal. Add --yes');
    expect(await count(target, 'services')).toBe(0);
    const confirmed = await restore(target, [file, '--force', '--yes']);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toContain('(replaced)');
    expect(await count(target, 'services')).toBe(1);
  });

  it('refuses a damaged backup and one without its manifest, leaving the database empty', async () => {
    const damaged = path.join(dir, `damaged-${path.basename(file)}`);
    copyFileSync(file, damaged);
    copyFileSync(`${file}.manifest.json`, `${damaged}.manifest.json`);
    appendFileSync(damaged, 'x');
    const target = await fresh();
    const res = await restore(target, [damaged]);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('the backup file does not match its manifest');
    const bare = path.join(dir, 'no-manifest.bin');
    copyFileSync(file, bare);
    const noManifest = await restore(target, [bare]);
    expect(noManifest.code).toBe(3);
    expect(noManifest.stderr).toContain('no manifest beside the backup');
    expect((await restore(target, [file])).code).toBe(0); // still empty, so a good backup goes in
  });

  it('refuses a backup from a newer schema', async () => {
    const newer = await fresh();
    const db = await openDb(newer);
    await migrate(db);
    await db.sequelize.query("INSERT INTO schema_migrations (name) VALUES ('999-from-a-newer-version')");
    await db.close();
    const made = await backup(newer);
    expect(made.code, made.stderr).toBe(0);
    const target = await fresh();
    const res = await restore(target, [/Backup written: (\S+)/.exec(made.stdout)![1]!]);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('the backup is from a newer schema (999-from-a-newer-version; migrations unknown to this version: 999-from-a-newer-version)');
  });

  it('restores a backup from an older schema and applies the migrations it lacks', async () => {
    const older = await fresh();
    const db = await openDb(older);
    await migrator(db).up({ to: '001-accounts-instructors-availability' });
    await db.close();
    const made = await backup(older);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/schema001\.(sqlite|pgdump)\n/);
    const target = await fresh();
    const res = await restore(target, [/Backup written: (\S+)/.exec(made.stdout)![1]!]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`migrated:   ${MIGRATION_NAMES.slice(1).join(', ')}`);
    expect(await count(target, 'bookings')).toBe(0);
  });
});
