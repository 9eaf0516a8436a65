import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ResponseCache, type CacheEvent } from './cache.js';
import { createRedis, redisReady } from './redis.js';

/** What several API instances share through Redis (or keep in process without it). */
export interface SharedState {
  cache: ResponseCache;
  /** Users' role and token version for authentication (short TTL, invalidated on change). */
  userCache: ResponseCache;
  /** The command connection, when Redis is configured (rate limits use it too). */
  redis?: Redis;
  /** Prefix of every Redis key of this deployment. */
  keyPrefix: string;
  readiness(): Promise<Record<string, 'ok' | 'error' | 'not_configured'>>;
  close(): Promise<void>;
}

/** Connects to Redis when a URL is given; everything still works without it. */
export function createSharedState(redisUrl: string | undefined, logger: Logger, opts: { keyPrefix?: string; observe?: (e: CacheEvent) => void } = {}): SharedState {
  const redis = redisUrl ? createRedis(redisUrl, logger, { name: 'instainstru' }) : undefined;
  const subscriber = redisUrl ? createRedis(redisUrl, logger, { name: 'instainstru-sub' }) : undefined;
  const keyPrefix = opts.keyPrefix ?? 'ii:';
  const cache = new ResponseCache({ redis, subscriber, logger, keyPrefix: `${keyPrefix}cache:`, observe: opts.observe });
  // Its own cache, so user entries never crowd out public answers nor count in their hit rate. The
  // short TTL bounds how long another instance could miss an invalidation while Redis is down.
  const userCache = new ResponseCache({ redis, subscriber, logger, keyPrefix: `${keyPrefix}auth:`, ttlSeconds: 60, maxEntries: 100_000 });
  return {
    cache,
    userCache,
    redis,
    keyPrefix,
    async readiness() {
      if (!redis) return { redis: 'not_configured' };
      if (!redisReady(redis)) return { redis: 'error' };
      try {
        await redis.ping();
        return { redis: 'ok' };
      } catch {
        return { redis: 'error' };
      }
    },
    async close() {
      subscriber?.disconnect();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
