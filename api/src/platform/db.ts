import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction } from 'sequelize';
import type { Logger } from 'pino';
import { databaseFault } from './db-faults.js';
import { sqliteWriter } from './sqlite-writer.js';
import { WriterQueue } from './writer-queue.js';
import { defineModels, type Models } from './models.js';

export type Dialect = 'sqlite' | 'postgres';

/** The database handle every repository receives. */
export interface Db {
  sequelize: Sequelize;
  dialect: Dialect;
  models: Models;
  /** Runs fn in one write transaction (serialized through the writer queue on SQLite). */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Checks the connection (for /readyz). */
  ping(): Promise<void>;
  /** PostgreSQL's connection pool right now (null on SQLite, which has no pool). */
  poolStats(): { size: number; available: number; waiting: number } | null;
  /** SQLite write transactions running or queued (0 on PostgreSQL, where the pool queues). */
  queueDepth(): number;
  close(): Promise<void>;
}

/** A JSON column's value: SQLite hands it back as text, PostgreSQL already parsed. */
export function jsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Rows a transaction writes last, just before its COMMIT, one statement per kind (see inTransactionBatch). */
const batches = new WeakMap<Transaction, Map<string, { items: unknown[]; flush: (items: unknown[]) => Promise<void> }>>();

/**
 * Adds `items` to the rows of kind `name` that the transaction writes in one statement just before
 * it commits (an outbox's job rows: a booking's two jobs are one INSERT). A transaction not opened
 * by `Db.transaction` writes them at once. A failing write rolls the transaction back.
 */
export async function inTransactionBatch<T>(tx: Transaction, name: string, items: T[], flush: (items: T[]) => Promise<void>): Promise<void> {
  const pending = batches.get(tx);
  if (!pending) return flush(items);
  const batch = pending.get(name);
  if (batch) batch.items.push(...items);
  else pending.set(name, { items: [...items], flush: flush as (items: unknown[]) => Promise<void> });
}

/** Runs fn, then the transaction's batched writes, inside the transaction. */
async function withBatches<T>(tx: Transaction, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const pending = new Map<string, { items: unknown[]; flush: (items: unknown[]) => Promise<void> }>();
  batches.set(tx, pending);
  try {
    const result = await fn(tx);
    for (const { items, flush } of pending.values()) await flush(items);
    return result;
  } finally {
    batches.delete(tx);
  }
}

/** Opens the database named by a `sqlite:<file>` or `postgres://` URL. */
export async function openDb(url: string, logger?: Logger): Promise<Db> {
  const logging = logger ? (sql: string) => logger.trace({ sql }, 'sql') : false;
  const sequelize = url.startsWith('sqlite:') ? openSqlite(url, logging) : openPostgres(url, logging);
  const dialect = sequelize.getDialect() as Dialect;
  if (dialect === 'sqlite') {
    await sequelize.query('PRAGMA journal_mode=WAL');
    await sequelize.query('PRAGMA synchronous=NORMAL');
  }
  await sequelize.authenticate();
  const models = defineModels(sequelize);
  const queue = new WriterQueue();
  const file = sqliteFileOf(url);
  const writer = file ? sqliteWriter(sequelize, file) : undefined;
  return {
    sequelize,
    dialect,
    models,
    transaction(fn) {
      if (dialect === 'sqlite') {
        return queue.run(async () => {
          try {
            writer?.beforeWrite();
            return await sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, (tx) => withBatches(tx, fn));
          } catch (err) {
            // A storage failure (full, read-only, I/O): the next transaction starts on a new connection.
            if (databaseFault(err)) await writer?.reset();
            throw err;
          }
        });
      }
      return sequelize.transaction((tx) => withBatches(tx, fn));
    },
    async ping() {
      await sequelize.query('SELECT 1');
    },
    poolStats() {
      // Sequelize keeps its pool (sequelize-pool) on the connection manager; it is not in the types.
      const pool = (sequelize.connectionManager as unknown as { pool?: Partial<Record<'size' | 'available' | 'waiting', number>> }).pool;
      if (dialect !== 'postgres' || typeof pool?.size !== 'number') return null;
      return { size: pool.size, available: pool.available ?? 0, waiting: pool.waiting ?? 0 };
    },
    queueDepth() {
      return queue.depth;
    },
    async close() {
      // Let queued writes (e.g. an API key's last-used time) finish before the connection goes.
      await queue.run(async () => undefined);
      await writer?.reset();
      await sequelize.close();
    },
  };
}

/** The file of a `sqlite:` URL (undefined for PostgreSQL and in-memory databases). */
export function sqliteFileOf(url: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
  return file === ':memory:' ? undefined : path.resolve(file);
}

function openSqlite(url: string, logging: false | ((sql: string) => void)): Sequelize {
  const file = sqliteFileOf(url) ?? ':memory:';
  if (file !== ':memory:') {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Owner-only from the first byte (SQLite gives its -wal and -shm files the same mode).
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  }
  return new Sequelize({
    dialect: 'sqlite',
    storage: file,
    logging,
    define: { underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    retry: { max: 0 },
  });
}

function openPostgres(url: string, logging: false | ((sql: string) => void)): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    logging,
    define: { underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    pool: { max: 10, min: 0, idle: 10_000, acquire: 10_000 },
    // A connect that hangs (server unreachable) gives up after 3 s; within that, the outage guard
    // answers 503 after 500 ms once a failure was seen. Shorter timeouts failed healthy connects on a busy machine;
    // keep-alive notices a connection whose server vanished without closing it.
    dialectOptions: { connectionTimeoutMillis: 3_000, keepAlive: true },
  });
}
