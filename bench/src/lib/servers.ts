import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './cleanup.js';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** One JWT secret for every API the bench starts, so tokens work on any instance of a run. */
const JWT_SECRET = randomBytes(36).toString('base64url');
const HOST = '127.0.0.1';

/** A port nobody listens on right now (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (no HTTP request: rate limits stay untouched). */
export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess, what = 'server'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, HOST);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on port ${port} within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A child process the bench owns: its last output lines (for error messages) and a bounded stop. */
export interface Child {
  process: ChildProcess;
  /** The last lines it wrote (stdout and stderr). */
  tail(): string;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns a process whose output is kept in a small ring buffer and which is stopped on bench exit. */
export function spawnChild(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; name: string }): Child {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const untrack = track(`${opts.name} (pid ${child.pid})`, () => stop(3_000));
  void exited.then(untrack);
  return { process: child, tail: () => lines.join('\n'), stop };
}

export interface ApiOptions {
  name: string;
  /** `sqlite:<file>` (default: a new file in a temp dir) or `postgres://…`. */
  databaseUrl?: string;
  redisUrl?: string;
  rateLimitMultiplier?: number;
  /** STUDENT_BOOKING_LIMIT: raised (like the rate limits) by scenarios where few students book many lessons. */
  studentBookingLimit?: number;
  /** Reuse a data directory (e.g. to restart on the same SQLite file). */
  dataDir?: string;
  /** SMTP_URL: deliver mail to this server (default: .eml files in the data directory). */
  smtpUrl?: string;
}

export interface ApiInstance {
  name: string;
  url: string;
  port: number;
  databaseUrl: string;
  dataDir: string;
  child: Child;
  /** Stops the process gracefully (and removes its temp dir unless it was given). */
  stop(): Promise<void>;
}

/** Temporary directory removed when the bench exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  track(`temp dir ${dir}`, async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts `api/src/main.ts` (through tsx) in a child process on a free loopback port with its own data. */
export async function startApi(opts: ApiOptions): Promise<ApiInstance> {
  const port = await freePort();
  const dataDir = opts.dataDir ?? tempDir('ii-bench-api-');
  const databaseUrl = opts.databaseUrl ?? `sqlite:${path.join(dataDir, 'bench.db')}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the caller's shell may point the API at another database, cache or port.
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'HOST', 'METRICS_TOKEN', 'SMTP_URL', 'CORS_ORIGINS', 'TRUST_PROXY', 'PUBLIC_URL', 'STUDENT_BOOKING_LIMIT']) delete env[name];
  Object.assign(env, {
    NODE_ENV: 'production',
    JWT_SECRET,
    PORT: String(port),
    HOST,
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SEED_DEMO: 'false',
    AUTO_MIGRATE: 'true',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MULTIPLIER: String(opts.rateLimitMultiplier ?? 1),
    ...(opts.studentBookingLimit ? { STUDENT_BOOKING_LIMIT: String(opts.studentBookingLimit) } : {}),
    ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
    ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
  });
  // BENCH_CPU_PROF=<dir>: each API writes a V8 CPU profile there when it stops (for docs/bench/profiles.md).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF, '--cpu-prof-name', `${opts.name}.cpuprofile`] : [];
  const child = spawnChild(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], { cwd: path.join(REPO, 'api'), env, name: `API ${opts.name}` });
  try {
    await waitForPort(port, 60_000, child.process, `API ${opts.name}`);
  } catch (err) {
    await child.stop(1_000);
    throw new Error(`${(err as Error).message}\n${child.tail()}`, { cause: err });
  }
  return { name: opts.name, url: `http://${HOST}:${port}`, port, databaseUrl, dataDir, child, stop: () => child.stop() };
}

/** A bare `node:http` server answering every request with one fixed JSON body: the speed baseline. */
export async function startBareServer(body: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const script = `
    const http = require('node:http');
    const body = Buffer.from(process.env.BODY);
    http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
      res.end(body);
    }).listen(Number(process.env.PORT), '${HOST}');`;
  const child = spawnChild(process.execPath, ['-e', script], { env: { ...process.env, BODY: body, PORT: String(port) }, name: 'bare node:http server' });
  await waitForPort(port, 10_000, child.process, 'bare server');
  return { url: `http://${HOST}:${port}`, stop: () => child.stop() };
}

/** A throwaway `redis-server` on a free port (no persistence); `kill` and `restart` simulate an outage. */
export async function startRedis(): Promise<{ url: string; port: number; kill: () => Promise<void>; restart: () => Promise<void>; stop: () => Promise<void> }> {
  const port = await freePort();
  let child: Child | undefined;
  const launch = async () => {
    child = spawnChild('redis-server', ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'], { name: `redis-server :${port}` });
    await waitForPort(port, 10_000, child.process, 'redis-server');
  };
  await launch();
  return {
    url: `redis://${HOST}:${port}/0`,
    port,
    // SIGKILL: a crash, not a polite shutdown.
    kill: async () => {
      child?.process.kill('SIGKILL');
      await child?.stop(1_000);
    },
    restart: launch,
    stop: async () => child?.stop(3_000),
  };
}
