import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './harness.js';

const BIN = '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL cluster on a free port, for tests that stop and start the server
 * (never the machine's shared one). Run as the postgres user when the test runs as root,
 * since PostgreSQL refuses to run as root.
 */
export async function throwawayPostgres(): Promise<{ url: string; stop: () => Promise<void>; start: () => Promise<void>; destroy: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ii-pg-'));
  const data = path.join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = (() => {
      const line = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).split(':');
      return { uid: Number(line[2]), gid: Number(line[3]) };
    })();
    chownSync(dir, uid, gid);
  }
  // Asynchronous: the API under test runs in this process and must keep answering meanwhile.
  const run = async (tool: string, args: string[]) => {
    const [cmd, full] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(BIN, tool), ...args]] : [path.join(BIN, tool), args];
    await promisify(execFile)(cmd as string, full as string[]);
  };
  await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const start = () => run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const stop = () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE ii_fault');
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/ii_fault`,
    stop,
    start,
    async destroy() {
      await stop().catch(() => undefined); // already stopped
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
