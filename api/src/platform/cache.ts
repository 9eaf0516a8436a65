import { NodeCache } from '@cacheable/node-cache';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisReady } from './redis.js';

/** A cached HTTP response body with its strong validator. */
export interface CachedEntry {
  body: string;
  etag: string;
}

export type CacheEvent = 'hit' | 'miss' | 'redis_error';

const MAX_RECENT_NAMESPACES = 10_000;
/** How many recently read answers of one namespace a write refreshes ahead. */
const REFRESH_PER_NAMESPACE = 4;

/**
 * Response cache with per-namespace versions (a namespace is one instructor). A write bumps the
 * version, so invalidation is one increment: at once here, and on other instances through Redis
 * pub/sub. Entries live in process memory (L1) and, when Redis is configured, in Redis (shared).
 * If Redis fails, everything keeps working in process memory and bumps made meanwhile are
 * replayed to Redis when it returns.
 */
export class ResponseCache {
  private readonly l1: NodeCache<CachedEntry>;
  private readonly versions = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<CachedEntry>>();
  private readonly bumpedWhileDown = new Set<string>();
  /** Per namespace, the latest answers read (key without namespace and version -> how to compute it). */
  private readonly recent = new Map<string, Map<string, () => Promise<CachedEntry>>>();
  private readonly prefix: string;
  private readonly channel: string;

  constructor(
    private readonly opts: { redis?: Redis; subscriber?: Redis; logger: Logger; ttlSeconds?: number; maxEntries?: number; keyPrefix?: string; observe?: (e: CacheEvent) => void },
  ) {
    this.prefix = opts.keyPrefix ?? 'ii:cache:';
    this.channel = `${this.prefix}bump`;
    this.l1 = new NodeCache<CachedEntry>({ stdTTL: opts.ttlSeconds ?? 900, checkperiod: 60, maxKeys: opts.maxEntries ?? 50_000, useClones: false });
    const sub = opts.subscriber;
    if (sub) {
      sub.subscribe(this.channel).catch(() => undefined);
      sub.on('message', (channel: string, message: string) => {
        // One subscriber connection may serve several caches, each on its own channel.
        if (channel !== this.channel) return;
        const [ns, v] = message.split(' ');
        if (ns && Number(v) > (this.versions.get(ns) ?? -1)) this.versions.set(ns, Number(v));
      });
      // After a reconnect messages may have been missed: re-read versions lazily.
      sub.on('ready', () => {
        this.versions.clear();
        sub.subscribe(this.channel).catch(() => undefined);
      });
    }
    // Versions bumped in memory during an outage may collide with Redis's: start over from Redis.
    opts.redis?.on('ready', () => {
      void this.replayBumps().finally(() => {
        this.l1.flushAll();
        this.versions.clear();
      });
    });
  }

  /** The version of a namespace; known versions are answered from memory without I/O. */
  async version(ns: string): Promise<number> {
    const known = this.versions.get(ns);
    if (known !== undefined) return known;
    const redis = this.opts.redis;
    let v = 0;
    if (redisReady(redis)) {
      try {
        v = Number((await redis.get(`${this.prefix}v:${ns}`)) ?? 0);
      } catch {
        this.opts.observe?.('redis_error');
      }
    }
    const current = this.versions.get(ns);
    if (current === undefined || v > current) this.versions.set(ns, v);
    return this.versions.get(ns) as number;
  }

  /** Counts a hit served without calling getOrCompute (the fast lane). */
  countHit(): void {
    this.opts.observe?.('hit');
  }

  /** The version if already known in memory (no I/O), else undefined. */
  knownVersion(ns: string): number | undefined {
    return this.versions.get(ns);
  }

  /** The cached entry if it is in memory now (no I/O): the fast path for hot reads and revalidation. */
  peek(key: string): CachedEntry | undefined {
    return this.l1.get(key);
  }

  /** The entry for key, computing it once for concurrent misses (single-flight); `read` is false for refreshes. */
  async getOrCompute(key: string, compute: () => Promise<CachedEntry>, read = true): Promise<CachedEntry> {
    const observe = (e: CacheEvent) => read && this.opts.observe?.(e);
    const local = this.l1.get(key);
    if (local) {
      observe('hit');
      return local;
    }
    const pending = this.inflight.get(key);
    if (pending) {
      observe('hit');
      return pending;
    }
    const run = (async () => {
      const shared = await this.readShared(key);
      if (shared) {
        observe('hit');
        this.store(key, shared);
        return shared;
      }
      observe('miss');
      const entry = await compute();
      this.store(key, entry);
      await this.writeShared(key, entry);
      return entry;
    })();
    this.inflight.set(key, run);
    try {
      return await run;
    } finally {
      this.inflight.delete(key);
    }
  }

  /** Remembers an answer that was read, so a bump can refresh it ahead of the next read. */
  remember(ns: string, rest: string, compute: () => Promise<CachedEntry>): void {
    let variants = this.recent.get(ns);
    if (!variants) {
      if (this.recent.size >= MAX_RECENT_NAMESPACES) this.recent.delete(this.recent.keys().next().value as string);
      variants = new Map();
      this.recent.set(ns, variants);
    }
    variants.delete(rest);
    variants.set(rest, compute);
    if (variants.size > REFRESH_PER_NAMESPACE) variants.delete(variants.keys().next().value as string);
  }

  /**
   * Invalidates everything cached for the namespace (one increment), then recomputes its most
   * recently read answers under the new version: the write pays for the refresh, and the next
   * reads (here, or on another instance through Redis) find a fresh answer waiting.
   */
  async bump(ns: string): Promise<void> {
    await this.increment(ns);
    const version = this.versions.get(ns) as number;
    for (const [rest, compute] of this.recent.get(ns) ?? []) {
      this.getOrCompute(`${ns}:${version}:${rest}`, compute, false).catch(() => undefined);
    }
  }

  private async increment(ns: string): Promise<void> {
    const redis = this.opts.redis;
    if (redisReady(redis)) {
      try {
        const v = await redis.incr(`${this.prefix}v:${ns}`);
        this.versions.set(ns, Math.max(v, (this.versions.get(ns) ?? 0) + 1));
        await redis.publish(this.channel, `${ns} ${this.versions.get(ns)}`);
        return;
      } catch {
        this.opts.observe?.('redis_error');
      }
    }
    this.versions.set(ns, (this.versions.get(ns) ?? 0) + 1);
    if (redis) this.bumpedWhileDown.add(ns);
  }

  /** Keeps an entry in memory; when the store is full, it starts over rather than failing the request. */
  private store(key: string, entry: CachedEntry): void {
    try {
      this.l1.set(key, entry);
    } catch {
      this.l1.flushAll();
      this.l1.set(key, entry);
    }
  }

  private async readShared(key: string): Promise<CachedEntry | undefined> {
    const redis = this.opts.redis;
    if (!redisReady(redis)) return undefined;
    try {
      const raw = await redis.get(`${this.prefix}e:${key}`);
      return raw ? (JSON.parse(raw) as CachedEntry) : undefined;
    } catch {
      this.opts.observe?.('redis_error');
      return undefined;
    }
  }

  private async writeShared(key: string, entry: CachedEntry): Promise<void> {
    const redis = this.opts.redis;
    if (!redisReady(redis)) return;
    try {
      await redis.set(`${this.prefix}e:${key}`, JSON.stringify(entry), 'EX', this.opts.ttlSeconds ?? 900);
    } catch {
      this.opts.observe?.('redis_error');
    }
  }

  /** Bumps made while Redis was down reach Redis (and other instances) once it is back. */
  private async replayBumps(): Promise<void> {
    const pending = [...this.bumpedWhileDown];
    this.bumpedWhileDown.clear();
    for (const ns of pending) await this.increment(ns);
  }
}
