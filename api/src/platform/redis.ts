import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection that never makes a request wait long: commands time out after
 * `timeoutMs`, nothing is queued while disconnected, and it keeps reconnecting in the background.
 */
export function createRedis(url: string, logger: Logger, opts: { timeoutMs?: number; name?: string } = {}): Redis {
  const redis = new Redis(url, {
    commandTimeout: opts.timeoutMs ?? 500,
    connectTimeout: 1_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    connectionName: opts.name ?? 'instainstru',
  });
  // Every rate limiter's store listens for reconnects.
  redis.setMaxListeners(50);
  let down = false;
  redis.on('error', (err) => {
    if (!down) logger.warn({ err: err.message, redis: opts.name }, 'redis unavailable; falling back to in-process state');
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.info({ redis: opts.name }, 'redis is back');
    down = false;
  });
  return redis;
}

/** True when the connection can take commands right now. */
export function redisReady(redis: Redis | undefined): redis is Redis {
  return redis?.status === 'ready';
}
