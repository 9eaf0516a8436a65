import { MemoryStore, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisReady } from './redis.js';

/**
 * A rate-limit store shared through Redis that falls back to process memory while Redis is
 * unreachable (logged), and goes back to Redis when it returns. Budgets are then per instance
 * during the outage, which is the price of staying up.
 */
export class ResilientStore implements Store {
  readonly localKeys = false;
  private readonly memory = new MemoryStore();
  private shared?: RedisStore;
  private options?: Options;
  private warned = false;
  private lastFailure = 0;

  constructor(
    private readonly redis: Redis | undefined,
    readonly prefix: string,
    private readonly logger: Logger,
  ) {
    // A store created while Redis was down failed to load its script: make a fresh one when it is back.
    redis?.on('ready', () => this.connectShared());
  }

  init(options: Options): void {
    this.options = options;
    this.memory.init(options);
    this.connectShared();
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    return this.use((s) => s.increment(key), () => this.memory.increment(key));
  }

  async decrement(key: string): Promise<void> {
    return this.use((s) => s.decrement(key), () => this.memory.decrement(key));
  }

  async resetKey(key: string): Promise<void> {
    await this.memory.resetKey(key);
    if (this.shared && redisReady(this.redis)) await this.shared.resetKey(key).catch(() => undefined);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    return this.use((s) => s.get(key), () => this.memory.get(key));
  }

  shutdown(): void {
    this.memory.shutdown();
  }

  private connectShared(): void {
    // After a failure, wait a second before trying Redis again rather than on every request.
    if (!this.redis || !this.options || !redisReady(this.redis) || Date.now() - this.lastFailure < 1_000) return;
    const redis = this.redis;
    const store = new RedisStore({ prefix: this.prefix, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> });
    this.shared = store;
    // Loading the scripts can time out: such a store is dropped and rebuilt later.
    store.init(this.options).catch(() => this.dropShared(store));
  }

  private dropShared(store: RedisStore): void {
    if (this.shared === store) this.shared = undefined;
    this.lastFailure = Date.now();
  }

  private async use<T>(shared: (s: RedisStore) => Promise<T>, local: () => Promise<T> | T): Promise<T> {
    if (!this.shared) this.connectShared();
    if (this.shared && redisReady(this.redis)) {
      try {
        const result = await shared(this.shared);
        this.warned = false;
        return result;
      } catch (err) {
        if (!this.warned) this.logger.warn({ err: (err as Error).message }, 'rate limit store: redis failed; counting in process memory');
        this.warned = true;
        this.dropShared(this.shared);
      }
    }
    return local();
  }
}
