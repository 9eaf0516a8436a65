import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import pg from 'pg';
import { pino, type Logger } from 'pino';
import { openDb, type Db } from '../src/platform/db.js';
import { migrate } from '../src/migrations/index.js';
import { createApp } from '../src/app.js';
import { fixedClock } from '../src/platform/clock.js';
import { createMailer } from '../src/platform/mail.js';
import { loadConfig } from '../src/platform/config.js';
import type { Services } from '../src/services.js';
import { accountRepository } from '../src/accounts/repository.js';
import { hashPassword } from '../src/platform/passwords.js';
import { createSharedState, type SharedState } from '../src/platform/shared-state.js';
import { createMetrics, type Metrics } from '../src/platform/metrics.js';

/** A fresh database for one test file: a temporary SQLite file, or its own PostgreSQL database when DATABASE_URL is postgres. */
export async function freshDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base?.startsWith('postgres')) {
    const name = `ii_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ii-test-'));
  return { url: `sqlite:${path.join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestApp {
  url: string;
  db: Db;
  services: Services;
  clock: ReturnType<typeof fixedClock>;
  outboxDir: string;
  shared: SharedState;
  databaseUrl: string;
  metrics: Metrics;
  /** The HTTP server (tests that watch connections or requests arrive). */
  server: Server;
  close(): Promise<void>;
}

/** Starts the real app on port 0 with a real database; every response is validated against openapi.yaml. */
export async function startTestApp(
  opts: { now?: Date; env?: Record<string, string>; shared?: { keyPrefix?: string }; /** Another instance's database (scale-out tests). */ sameDatabaseAs?: TestApp; /** A database the test made (e.g. restored); `drop` runs at close. */ database?: { url: string; drop: () => Promise<void> }; /** A logger to read (tests of log lines). */ logger?: Logger } = {},
): Promise<TestApp> {
  const database = opts.sameDatabaseAs ? { url: opts.sameDatabaseAs.databaseUrl, drop: async () => undefined } : (opts.database ?? (await freshDatabaseUrl()));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ii-data-'));
  // Like the rate-limit multiplier, 4 hashes at a time only speed up setting up users; login-flood.test.ts checks the default.
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: database.url, JWT_SECRET: 'test-secret-of-at-least-32-characters!!', LOG_LEVEL: 'silent', RATE_LIMIT_MULTIPLIER: '1000', PASSWORD_HASH_CONCURRENCY: '4', ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}), ...opts.env });
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const db = await openDb(config.databaseUrl);
  await migrate(db);
  const clock = fixedClock(opts.now ?? new Date('2026-07-01T08:00:00Z'));
  const outboxDir = path.join(dataDir, 'outbox');
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir });
  // Test files share one Redis: each app gets its own key prefix, as separate deployments would.
  const metrics = createMetrics();
  const shared = createSharedState(config.redisUrl, logger, { keyPrefix: `ii:test:${randomBytes(6).toString('hex')}:`, observe: metrics.cacheEvent, ...opts.shared });
  metrics.watch({ db, redis: shared.redis });
  const { listener, services } = createApp({ config, db, clock, testClock: clock, mailer, logger, cache: shared.cache, userCache: shared.userCache, metrics, redis: shared.redis, redisKeyPrefix: shared.keyPrefix, readiness: shared.readiness, validateResponses: true });
  const server = createServer(listener).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    services,
    clock,
    outboxDir,
    shared,
    databaseUrl: database.url,
    metrics,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await services.jobs.stop();
      await services.hasher.close();
      await db.close();
      await shared.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the API like a client would. */
export async function call<T = any>(app: { url: string }, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${app.url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // non-JSON body (YAML, HTML) stays text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

let counter = 0;
/**
 * Registers a user and returns its id and token. Every user gets a default offline card
 * (`pm_card_visa`, or `card`) so they can book paid lessons (instructors learn too); `card: false` for none.
 */
export async function registerUser(app: { url: string }, role: 'student' | 'instructor', extra: { timezone?: string; full_name?: string; email?: string; card?: string | false } = {}) {
  counter++;
  const email = extra.email ?? `${role}${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const res = await call(app, 'POST', '/v1/auth/register', {
    body: { email, password: 'a-long-password-1', full_name: extra.full_name ?? `${role} ${counter}`, role, ...(extra.timezone ? { timezone: extra.timezone } : {}) },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const card = extra.card ?? 'pm_card_visa';
  if (card) {
    const added = await call(app, 'POST', '/v1/me/payment-methods', { token: res.body.access_token, body: { payment_method: card } });
    if (added.status !== 201) throw new Error(`card failed: ${added.status} ${JSON.stringify(added.body)}`);
  }
  return { id: res.body.user.id as string, token: res.body.access_token as string, email };
}

/** Registers an instructor with a published profile, one service and availability on the given dates. */
export async function publishedInstructor(
  app: { url: string },
  opts: { timezone?: string; buffer_minutes?: number; min_advance_hours?: number; days?: { date: string; ranges: { start_time: string; end_time: string }[] }[]; hourly_rate?: number; skill?: string; areas?: string[]; durations?: number[] } = {},
) {
  const inst = await registerUser(app, 'instructor', { timezone: opts.timezone ?? 'Europe/Berlin' });
  await call(app, 'PUT', '/v1/me/instructor-profile', {
    token: inst.token,
    body: { published: true, timezone: opts.timezone ?? 'Europe/Berlin', buffer_minutes: opts.buffer_minutes ?? 0, min_advance_hours: opts.min_advance_hours ?? 2, service_areas: opts.areas ?? ['Berlin'], bio: 'Teaches well' },
  });
  const svc = await call(app, 'POST', '/v1/me/services', {
    token: inst.token,
    body: { skill: opts.skill ?? 'Piano', hourly_rate: opts.hourly_rate ?? 6000, currency: 'EUR', durations: opts.durations ?? [30, 60, 90], location_types: ['in_person', 'online'] },
  });
  if (svc.status !== 201) throw new Error(`service failed: ${JSON.stringify(svc.body)}`);
  if (opts.days) {
    const av = await call(app, 'PUT', '/v1/me/availability', { token: inst.token, body: { days: opts.days } });
    if (av.status !== 200) throw new Error(`availability failed: ${JSON.stringify(av.body)}`);
  }
  return { ...inst, serviceId: svc.body.id as string };
}

/** A TCP port nothing listens on right now (for processes a test starts itself). */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Creates an admin directly in the database (admins cannot register) and logs in. */
export async function registerAdmin(app: TestApp): Promise<{ id: string; token: string }> {
  const email = `admin-${randomBytes(4).toString('hex')}@example.com`;
  const password_hash = await hashPassword('an-admin-password-1');
  await app.db.transaction((tx) => accountRepository(app.db).createUser({ email, password_hash, full_name: 'Ada Admin', role: 'admin', timezone: 'UTC' }, tx));
  const login = await call(app, 'POST', '/v1/auth/login', { body: { email, password: 'an-admin-password-1' } });
  if (login.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(login.body)}`);
  return { id: login.body.user.id as string, token: login.body.access_token as string };
}
