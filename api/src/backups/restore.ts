import path from 'node:path';
import pg from 'pg';
import { openDb } from '../platform/db.js';
import { migrate, MIGRATION_NAMES } from '../migrations/index.js';
import { fileFacts, readManifest, type Manifest } from './manifest.js';
import { rowCounts, select } from './tables.js';
import { inspectSqliteFile, integrityCheck, sqliteFile, sqliteIsEmpty, swapInSqliteFile } from './sqlite.js';
import { pgRestore } from './postgres.js';
import { jobRepository } from '../jobs/repository.js';
import { DatabaseInUseError, lockSqliteFile } from '../platform/sqlite-lock.js';
import type { Progress } from './backup.js';

/** A restore that stopped before touching the database, with the reason for the operator. */
export class RestoreRefused extends Error {}

export interface RestoreResult {
  manifest: Manifest;
  /** Migrations applied after the restore (a backup from an older schema). */
  migrated: string[];
  tables: Record<string, number>;
  replaced: boolean;
}

/** The database a URL names, without its password (for messages). */
export function describeTarget(url: string): string {
  if (url.startsWith('sqlite:')) return path.resolve(sqliteFile(url));
  const u = new URL(url);
  return `PostgreSQL database "${u.pathname.slice(1)}" on ${u.hostname}:${u.port || 5432}`;
}

async function postgresIsEmpty(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = 'public'");
    return Number(rows[0]?.n) === 0;
  } finally {
    await client.end();
  }
}

async function emptyPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN; DROP SCHEMA public CASCADE; CREATE SCHEMA public; COMMIT');
  } finally {
    await client.end();
  }
}

/** Everything that can be checked before the database is touched. */
async function checkBackup(file: string, targetUrl: string, progress: Progress): Promise<Manifest> {
  const manifest = await readManifest(file).catch((err: Error) => {
    throw new RestoreRefused(err.message, { cause: err });
  });
  const targetDialect = targetUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  if (manifest.dialect !== targetDialect) {
    throw new RestoreRefused(`this is a ${manifest.dialect} backup and DATABASE_URL names a ${targetDialect} database; restore it into the same kind of database`);
  }
  const unknown = manifest.migrations.filter((name) => !MIGRATION_NAMES.includes(name));
  if (unknown.length) {
    throw new RestoreRefused(`the backup is from a newer schema (${manifest.schema_version}; migrations unknown to this version: ${unknown.join(', ')}). Restore it with the InstaInstru version that made it, or a newer one.`);
  }
  progress('verifying size and SHA-256 against the manifest');
  const facts = await fileFacts(file);
  if (facts.size !== manifest.size || facts.sha256 !== manifest.sha256) {
    throw new RestoreRefused(`the backup file does not match its manifest (size ${facts.size} vs ${manifest.size}, sha256 ${facts.sha256.slice(0, 12)}… vs ${manifest.sha256.slice(0, 12)}…): it is damaged or not the file the manifest describes`);
  }
  if (manifest.dialect === 'sqlite') {
    progress('checking the backup (PRAGMA integrity_check)');
    const inspected = await inspectSqliteFile(file);
    if (inspected.integrity !== 'ok') throw new RestoreRefused(`the backup failed PRAGMA integrity_check: ${inspected.integrity}`);
  }
  return manifest;
}

/** Compares restored row counts with the manifest; returns the differences. */
function countDifferences(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return names.filter((n) => expected[n] !== actual[n]).map((n) => `${n}: ${actual[n] ?? 'missing'} rows, manifest ${expected[n] ?? 'none'}`);
}

/**
 * Restores a backup made by `createBackup` into the database at `targetUrl`. An empty database
 * is filled; a non-empty one is replaced only with `force` and after `confirm()` says yes.
 * Afterwards checks integrity and row counts against the manifest, then applies the migrations
 * the backup's (older) schema lacks.
 */
export async function restoreBackup(opts: { file: string; targetUrl: string; force: boolean; confirm: () => Promise<boolean>; progress?: Progress }): Promise<RestoreResult> {
  const progress = opts.progress ?? (() => undefined);
  const { targetUrl } = opts;
  const manifest = await checkBackup(opts.file, targetUrl, progress);
  const isSqlite = manifest.dialect === 'sqlite';
  // A running API server holds the SQLite file's lock: never swap the file under it.
  let release = () => undefined as void;
  if (isSqlite) {
    try {
      release = lockSqliteFile(path.resolve(sqliteFile(targetUrl)));
    } catch (err) {
      if (err instanceof DatabaseInUseError) throw new RestoreRefused(`${err.message.split('. ')[0]}. Stop it before restoring.`, { cause: err });
      throw err;
    }
  }
  try {
    return await restoreInto(opts, manifest, progress);
  } finally {
    release();
  }
}

async function restoreInto(opts: { file: string; targetUrl: string; force: boolean; confirm: () => Promise<boolean> }, manifest: Manifest, progress: Progress): Promise<RestoreResult> {
  const { targetUrl } = opts;
  const isSqlite = manifest.dialect === 'sqlite';
  const empty = isSqlite ? await sqliteIsEmpty(sqliteFile(targetUrl)) : await postgresIsEmpty(targetUrl);
  if (!empty) {
    if (!opts.force) throw new RestoreRefused(`${describeTarget(targetUrl)} is not empty. Restore into an empty database, or pass --force to replace it.`);
    if (!(await opts.confirm())) throw new RestoreRefused('cancelled: the database was left as it was');
  }
  if (isSqlite) {
    progress(`putting the backup in place of ${describeTarget(targetUrl)}`);
    await swapInSqliteFile(opts.file, sqliteFile(targetUrl));
  } else {
    if (!empty) {
      progress('dropping the current schema');
      await emptyPostgres(targetUrl);
    }
    progress('restoring with pg_restore (one transaction)');
    await pgRestore(targetUrl, opts.file);
  }
  const db = await openDb(targetUrl);
  try {
    progress('checking integrity and row counts');
    if (isSqlite) {
      const check = await integrityCheck(db.sequelize);
      if (check !== 'ok') throw new Error(`the restored database failed PRAGMA integrity_check: ${check}`);
    } else {
      const invalid = await select<{ name: string }>(db.sequelize, "SELECT conname AS name FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND NOT c.convalidated");
      if (invalid.length) throw new Error(`constraints not validated after restore: ${invalid.map((r) => r.name).join(', ')}`);
    }
    const tables = await rowCounts(db.sequelize, db.dialect);
    const differences = countDifferences(manifest.tables, tables);
    if (differences.length) throw new Error(`the restored row counts differ from the manifest: ${differences.join('; ')}`);
    const migrated = await migrate(db);
    if (migrated.length) progress(`applied ${migrated.length} migration(s) the backup's schema lacked: ${migrated.join(', ')}`);
    // Jobs the backed-up server was running (a mail being sent, a webhook fan-out) run again here.
    const released = await jobRepository(db).releaseAllLeases(new Date());
    if (released) progress(`${released} job(s) that were running at backup time will run again`);
    return { manifest, migrated, tables, replaced: !empty };
  } finally {
    await db.close();
  }
}
