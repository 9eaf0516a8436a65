import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Dialect } from '../platform/db.js';

/** What `npm run backup` writes beside each backup file, and what `npm run restore` checks. */
export interface Manifest {
  format: 'instainstru-backup/1';
  /** The backup file's name (in the same directory as the manifest). */
  file: string;
  dialect: Dialect;
  created_at: string;
  /** The newest migration applied in the backed-up database, e.g. "002-bookings". */
  schema_version: string;
  /** Every migration applied, in order: a restore refuses names this code does not know. */
  migrations: string[];
  size: number;
  sha256: string;
  /** Rows per table, counted in the same snapshot the backup was taken from. */
  tables: Record<string, number>;
}

const SUFFIX = '.manifest.json';

/** The manifest's path for a backup file. */
export function manifestPath(backupFile: string): string {
  return `${backupFile}${SUFFIX}`;
}

/** `instainstru-20261201T191500Z-schema002.sqlite`: sortable by time, with the schema version in view. */
export function backupFileName(at: Date, schemaVersion: string, dialect: Dialect): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  const schema = /^\d+/.exec(schemaVersion)?.[0] ?? 'none';
  return `instainstru-${stamp}-schema${schema}.${dialect === 'sqlite' ? 'sqlite' : 'pgdump'}`;
}

/** The time a backup file name carries, or null for a file that is not one of ours. */
export function backupTimeOf(name: string): Date | null {
  const m = /^instainstru-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-schema\w+\.(sqlite|pgdump)$/.exec(name);
  if (!m) return null;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

/** SHA-256 of a file, streamed (backups can be large). */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Size and checksum of a finished backup file. */
export async function fileFacts(file: string): Promise<{ size: number; sha256: string }> {
  return { size: (await stat(file)).size, sha256: await fileSha256(file) };
}

export async function writeManifest(backupFile: string, manifest: Manifest): Promise<string> {
  const file = manifestPath(backupFile);
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** Reads and shape-checks a manifest; throws a message an operator can act on. */
export async function readManifest(backupFile: string): Promise<Manifest> {
  const file = manifestPath(backupFile);
  let parsed: Partial<Manifest>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Manifest>;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing ? `no manifest beside the backup (expected ${file}); restore only backups made by npm run backup` : `the manifest ${file} is not valid JSON`, { cause: err });
  }
  if (parsed.format !== 'instainstru-backup/1' || !parsed.dialect || !Array.isArray(parsed.migrations) || typeof parsed.sha256 !== 'string' || !parsed.tables) {
    throw new Error(`the manifest ${file} is not an InstaInstru backup manifest`);
  }
  return parsed as Manifest;
}
