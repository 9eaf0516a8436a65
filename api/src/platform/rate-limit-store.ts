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
    if (!this.redis || !this.options || !redisReady(this.redis)) return;
    const redis = this.redis;
    this.shared = new RedisStore({ prefix: this.prefix, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply> });
    this.shared.init(this.options);
    this.warned = false;
  }

  private async use<T>(shared: (s: RedisStore) => Promise<T>, local: () => Promise<T> | T): Promise<T> {
    if (!this.shared) this.connectShared();
    if (this.shared && redisReady(this.redis)) {
      try {
        return await shared(this.shared);
      } catch (err) {
        if (!this.warned) this.logger.warn({ err: (err as Error).message }, 'rate limit store: redis failed; counting in process memory');
        this.warned = true;
      }
    }
    return local();
  }
}
