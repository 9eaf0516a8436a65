import { existsSync, statSync } from 'node:fs';
import { chmod, copyFile, rename, rm } from 'node:fs/promises';
import sqlite3 from 'sqlite3';
import { Sequelize } from 'sequelize';
import { select, rowCounts, appliedMigrations } from './tables.js';

/** The file path inside a `sqlite:` URL. */
export function sqliteFile(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\//, '');
}

/** Opens a SQLite file on its own, read-only unless asked (never creates one, never switches its journal mode). */
export async function withSqliteFile<T>(file: string, fn: (sequelize: Sequelize) => Promise<T>, opts: { writable?: boolean } = {}): Promise<T> {
  const mode = opts.writable ? sqlite3.OPEN_READWRITE : sqlite3.OPEN_READONLY;
  const sequelize = new Sequelize({ dialect: 'sqlite', storage: file, logging: false, dialectOptions: { mode }, retry: { max: 0 } });
  try {
    return await fn(sequelize);
  } finally {
    await sequelize.close();
  }
}

/** Copies the live database into `target` in one read transaction: writers go on, the copy is consistent. */
export async function vacuumInto(sequelize: Sequelize, target: string): Promise<void> {
  await sequelize.query('VACUUM INTO ?', { replacements: [target] });
}

/** `PRAGMA integrity_check` of a file: 'ok', or the problems SQLite found. */
export async function integrityCheck(sequelize: Sequelize): Promise<string> {
  const rows = await select<{ integrity_check: string }>(sequelize, 'PRAGMA integrity_check');
  return rows.map((r) => r.integrity_check).join('; ');
}

/**
 * What a SQLite backup file holds: integrity, migrations and row counts, read from the copy itself.
 * Opened read-write (nothing is written): since SQLite 3.44 integrity_check also verifies FTS5
 * tables (search_fts), and that check fails on a read-only connection.
 */
export async function inspectSqliteFile(file: string): Promise<{ integrity: string; migrations: string[]; tables: Record<string, number> }> {
  return withSqliteFile(
    file,
    async (s) => ({
      integrity: await integrityCheck(s),
      migrations: await appliedMigrations(s, 'sqlite'),
      tables: await rowCounts(s, 'sqlite'),
    }),
    { writable: true },
  );
}

/** Whether a SQLite database file has no tables at all (a file that does not exist is empty). */
export async function sqliteIsEmpty(file: string): Promise<boolean> {
  if (!existsSync(file) || statSync(file).size === 0) return true;
  return withSqliteFile(file, async (s) => (await select(s, "SELECT name FROM sqlite_master WHERE type = 'table'")).length === 0);
}

/**
 * Puts a verified backup in place of `target`: copied beside it first, then renamed over it (one
 * atomic step), with the old file's `-wal`/`-shm` removed so SQLite cannot replay stale pages.
 */
export async function swapInSqliteFile(backup: string, target: string): Promise<void> {
  const staging = `${target}.restoring`;
  await rm(staging, { force: true });
  await copyFile(backup, staging);
  // The database file is owner-only (as the API creates it), whatever mode the backup file had.
  await chmod(staging, 0o600);
  // Read-write for the FTS5 part of the check (see inspectSqliteFile); the staging copy is ours.
  const check = await withSqliteFile(staging, integrityCheck, { writable: true });
  if (check !== 'ok') {
    await rm(staging, { force: true });
    throw new Error(`the copied backup failed PRAGMA integrity_check: ${check}`);
  }
  await rm(`${target}-wal`, { force: true });
  await rm(`${target}-shm`, { force: true });
  await rename(staging, target);
}
