import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../platform/db.js';
import { backupFileName, fileFacts, writeManifest, type Manifest } from './manifest.js';
import { inspectSqliteFile, vacuumInto } from './sqlite.js';
import { pgDump, snapshotFacts, withExportedSnapshot } from './postgres.js';

export interface BackupResult {
  file: string;
  manifestFile: string;
  manifest: Manifest;
}

/** Where a backup step reports what it is doing (the CLI prints it; the scheduler logs it). */
export type Progress = (step: string) => void;

/**
 * Takes a consistent backup of the live database into `dir` while the API keeps writing:
 * SQLite through `VACUUM INTO` (one read transaction), PostgreSQL through `pg_dump -Fc` on an
 * exported snapshot whose row counts go into the manifest. The file appears under its final
 * name only once complete, so a crash never leaves a half backup that looks whole.
 */
export async function createBackup(opts: { db: Db; databaseUrl: string; dir: string; now: Date; progress?: Progress }): Promise<BackupResult> {
  const { db, dir, now } = opts;
  const progress = opts.progress ?? (() => undefined);
  // A backup is the whole database (password hashes, personal data): owner-only, like DATA_DIR.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const partial = path.join(dir, `.partial-${randomBytes(6).toString('hex')}`);
  try {
    let facts: { tables: Record<string, number>; migrations: string[] };
    if (db.dialect === 'sqlite') {
      progress('copying the SQLite database (VACUUM INTO)');
      await vacuumInto(db.sequelize, partial);
      progress('checking the copy (PRAGMA integrity_check) and counting rows');
      const inspected = await inspectSqliteFile(partial);
      if (inspected.integrity !== 'ok') throw new Error(`the copy failed PRAGMA integrity_check: ${inspected.integrity}`);
      facts = inspected;
    } else {
      facts = await withExportedSnapshot(opts.databaseUrl, async (snapshot, client) => {
        progress('counting rows in the snapshot');
        const counted = await snapshotFacts(client);
        progress('dumping with pg_dump -Fc');
        await pgDump(opts.databaseUrl, snapshot, partial);
        return counted;
      });
    }
    const schemaVersion = facts.migrations.at(-1) ?? 'none';
    const file = path.join(dir, backupFileName(now, schemaVersion, db.dialect));
    if (existsSync(file)) throw new Error(`${file} already exists (two backups in the same second?)`);
    await chmod(partial, 0o600);
    await rename(partial, file);
    progress('computing SHA-256');
    const { size, sha256 } = await fileFacts(file);
    const manifest: Manifest = {
      format: 'instainstru-backup/1',
      file: path.basename(file),
      dialect: db.dialect,
      created_at: now.toISOString(),
      schema_version: schemaVersion,
      migrations: facts.migrations,
      size,
      sha256,
      tables: facts.tables,
    };
    const manifestFile = await writeManifest(file, manifest);
    return { file, manifestFile, manifest };
  } finally {
    await rm(partial, { force: true });
  }
}
