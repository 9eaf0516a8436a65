import type { Redis } from 'ioredis';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheEvent } from './cache.js';
import type { Db } from './db.js';
import { AppError } from './errors.js';
import { instrument } from './instrument.js';
import { redisReady } from './redis.js';

// Seconds; fine at the low end, where cached reads live, and up to the 500 ms alert and beyond.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// Every refusal of a booking write that the client caused, counted by its problem code.
const BOOKING_WRITES = new Set(['create', 'reschedule']);

/** The API's Prometheus metrics, in a registry of their own (one per app, so tests never share state). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template (or "unmatched") and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const serviceDuration = new Histogram({
    name: 'service_method_duration_seconds',
    help: 'Duration of each service method call, by outcome (ok or error).',
    labelNames: ['service', 'method', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const cacheEvents = new Counter({ name: 'cache_events_total', help: 'Public response cache hits, misses and Redis errors.', labelNames: ['event'] as const, registers });
  const rateLimitRejections = new Counter({ name: 'rate_limit_rejections_total', help: 'Requests refused with 429, by limit.', labelNames: ['limit'] as const, registers });
  const bookingConflicts = new Counter({ name: 'booking_conflicts_total', help: 'Booking creates and reschedules refused (409/422), by problem code.', labelNames: ['code'] as const, registers });
  const backupRuns = new Counter({ name: 'backup_runs_total', help: 'Scheduled backups run by this instance, by outcome (ok or error).', labelNames: ['outcome'] as const, registers });
  const backupLastRun = new Gauge({
    name: 'backup_last_run_timestamp_seconds',
    help: 'When this instance last finished a scheduled backup, by outcome: an error newer than the last ok is a failed backup.',
    labelNames: ['outcome'] as const,
    registers,
  });
  // Start at zero so rates (and the hit-rate alert) have a series from the first scrape.
  for (const event of ['hit', 'miss', 'redis_error'] satisfies CacheEvent[]) cacheEvents.inc({ event }, 0);

  function observeService(service: string, method: string, seconds: number, error?: unknown): void {
    serviceDuration.observe({ service, method, outcome: error === undefined ? 'ok' : 'error' }, seconds);
    if (error instanceof AppError && (error.status === 409 || error.status === 422) && service === 'bookings' && BOOKING_WRITES.has(method)) {
      bookingConflicts.inc({ code: error.code });
    }
  }

  return {
    registry,
    /** Records one finished HTTP request. */
    httpRequest(method: string, route: string, status: number, seconds: number): void {
      httpDuration.observe({ method, route, status }, seconds);
    },
    /** The `observe` hook for the response cache. */
    cacheEvent(event: CacheEvent): void {
      cacheEvents.inc({ event });
    },
    /** Called by the rate limiter for each request it refuses. */
    rateLimited(limit: string): void {
      rateLimitRejections.inc({ limit });
    },
    /** Records a finished scheduled backup (the backup alerts in docs/monitoring/alerts.yml read these). */
    backupRun(outcome: 'ok' | 'error', finishedAt: Date): void {
      backupRuns.inc({ outcome });
      backupLastRun.set({ outcome }, finishedAt.getTime() / 1000);
    },
    /** Wraps every method of a service so each call is timed (see instrument.ts). */
    instrument<T extends object>(serviceName: string, service: T): T {
      return instrument(serviceName, service, (method, seconds, error) => observeService(serviceName, method, seconds, error));
    },
    /** Reports the database pool (or SQLite writer queue) and Redis connection, read at each scrape. */
    watch({ db, redis }: { db: Pick<Db, 'dialect' | 'poolStats' | 'queueDepth'>; redis?: Redis }): void {
      if (db.dialect === 'postgres') {
        for (const field of ['size', 'available', 'waiting'] as const) {
          new Gauge({
            name: `db_pool_${field}`,
            help: `Database connection pool: ${field} connections (waiting: requests queued for one).`,
            registers,
            collect() {
              this.set(db.poolStats()?.[field] ?? 0);
            },
          });
        }
      } else {
        new Gauge({
          name: 'db_writer_queue_depth',
          help: 'SQLite write transactions running or queued behind the single writer.',
          registers,
          collect() {
            this.set(db.queueDepth());
          },
        });
      }
      if (redis) {
        new Gauge({
          name: 'redis_up',
          help: '1 when the Redis connection is ready, 0 while it is down (the API then runs on in-process state).',
          registers,
          collect() {
            this.set(redisReady(redis) ? 1 : 0);
          },
        });
      }
    },
    /** The exposition text for a scrape. */
    async scrape(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
