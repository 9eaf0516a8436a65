import { execFile, execFileSync } from 'node:child_process';
import { chownSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { track } from './cleanup.js';
import { freePort, tempDir } from './servers.js';

const BIN = '/usr/lib/postgresql/15/bin';

export interface Cluster {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A throwaway PostgreSQL 15 cluster on a free port (never the machine's shared server), removed on bench exit. */
export async function startCluster(): Promise<Cluster> {
  const dir = tempDir('ii-bench-pg-');
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const fields = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).split(':');
    chownSync(dir, Number(fields[2]), Number(fields[3]));
  }
  // PostgreSQL refuses to run as root: run its tools as the postgres user then.
  const run = async (tool: string, args: string[]) => {
    const [cmd, full] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(BIN, tool), ...args]] : [path.join(BIN, tool), args];
    await promisify(execFile)(cmd as string, full as string[]);
  };
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const start = () => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  track(`PostgreSQL cluster ${dir}`, async () => {
    await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE ii_bench_restart');
  await admin.end();
  return { url: `postgres://postgres@127.0.0.1:${port}/ii_bench_restart`, stop, start };
}
