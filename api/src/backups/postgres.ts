import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const DEBIAN_BIN = '/usr/lib/postgresql';

/**
 * The newest installed pg_dump / pg_restore (Debian keeps one per major version under
 * /usr/lib/postgresql/<v>/bin; the newest can dump any older server), else the one on PATH.
 */
export function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  if (existsSync(DEBIAN_BIN)) {
    const versions = readdirSync(DEBIAN_BIN).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const candidate = path.join(DEBIAN_BIN, v, 'bin', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  throw new Error(`${name} not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client), at least the server's major version`);
}

/** Runs a PostgreSQL client tool; rejects with its stderr when it fails. */
export function runTool(tool: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(tool)} exited ${code}: ${stderr.trim().slice(0, 2000)}`))));
  });
}

/**
 * Holds a REPEATABLE READ snapshot open, exports it, and runs `fn` with its id and the client:
 * pg_dump `--snapshot` then dumps exactly what the counts in the manifest saw.
 */
export async function withExportedSnapshot<T>(url: string, fn: (snapshot: string, client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const result = await fn(rows[0]!.id, client);
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end();
  }
}

/** Rows per public table, and the applied migrations, as the client's transaction sees them. */
export async function snapshotFacts(client: pg.Client): Promise<{ tables: Record<string, number>; migrations: string[] }> {
  const { rows } = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  const tables: Record<string, number> = {};
  for (const { name } of rows) {
    const r = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`);
    tables[name] = Number(r.rows[0]?.n ?? 0);
  }
  const migrations = 'schema_migrations' in tables ? (await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name) : [];
  return { tables, migrations };
}

/** Dumps the database in pg_dump's custom format (-Fc), from the given exported snapshot. */
export async function pgDump(url: string, snapshot: string, target: string): Promise<void> {
  await runTool(pgTool('pg_dump'), ['--format=custom', `--snapshot=${snapshot}`, `--file=${target}`, `--dbname=${url}`]);
}

/** Restores a -Fc dump in one transaction (a failure leaves the database as it was), owners left to the restoring role. */
export async function pgRestore(url: string, file: string): Promise<void> {
  await runTool(pgTool('pg_restore'), ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${url}`, file]);
}
