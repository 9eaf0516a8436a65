import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { track } from './cleanup.js';

/** The local PostgreSQL server the bench creates its throwaway databases on. */
export const PG_SERVER = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/';

/** True when the PostgreSQL server answers (the PostgreSQL variants are reported "not run" otherwise). */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}postgres`, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates a fresh database `ii_bench_<random>`, dropped when the bench exits; returns its URL. */
export async function createDatabase(): Promise<string> {
  const name = `ii_bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  track(`PostgreSQL database ${name}`, () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return `${PG_SERVER}${name}`;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs one query on a database and returns its rows. */
export async function pgQuery<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
