import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { slowDown } from 'express-slow-down';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from './errors.js';
import { ResilientStore } from './rate-limit-store.js';
import { bearerOf, isSessionPath, keyKind, sha256 } from './tokens.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Every limit in one table (before RATE_LIMIT_MULTIPLIER): window and requests per window. */
export const RATE_LIMITS = {
  /** Anonymous traffic (and publishable keys), per client IP. */
  anonymous: { windowMs: MINUTE, limit: 300 },
  /** Requests whose credentials are refused (401), per client IP: guessing keys costs like anonymous traffic. */
  credentialFailures: { windowMs: MINUTE, limit: 300 },
  /** Signed-in traffic, per user (tokens and that user's API keys together). */
  authenticated: { windowMs: MINUTE, limit: 1_200 },
  /** Booking writes (create and lifecycle), per user; part of the authenticated budget. */
  bookingWrites: { windowMs: MINUTE, limit: 60 },
  /** Fetches of one calendar feed (per feed URL, whoever asks): calendar apps poll every few minutes at most. */
  calendarFeed: { windowMs: HOUR, limit: 120 },
  /** Failed logins per account and IP. */
  loginFailures: { windowMs: 15 * MINUTE, limit: 10 },
  /** Failed logins per account across all IPs, before each further attempt is slowed down (never refused). */
  loginSlowdown: { windowMs: 15 * MINUTE, limit: 5 },
  /** Wrong current passwords on POST /v1/me/password, per user. */
  passwordChangeFailures: { windowMs: 15 * MINUTE, limit: 10 },
  /** All login attempts per IP. */
  loginPerIp: { windowMs: 15 * MINUTE, limit: 100 },
  /** Registrations per IP. */
  register: { windowMs: HOUR, limit: 20 },
  /** Password reset requests per email address and IP (the account's own mail cap lives in the service). */
  resetPerEmail: { windowMs: HOUR, limit: 5 },
  /** Password reset requests per IP. */
  resetPerIp: { windowMs: HOUR, limit: 20 },
} as const;

export type LimitName = keyof typeof RATE_LIMITS;

/** Each failed login past the per-account threshold waits this much longer than the one before ... */
const SLOWDOWN_STEP_MS = 500;
/** ... up to this: slow enough to make guessing expensive, short enough that the owner still gets in. */
const SLOWDOWN_MAX_MS = 10_000;

/** The rate-limit key of a client address: IPv4 as is, IPv6 by its /56 (one host can hold a whole /64). */
export function clientKey(ip: string): string {
  return ipKeyGenerator(ip, 56);
}

// Read before validation: only a string counts (anything else is refused by the contract later).
const email = (req: Request) => {
  const given = (req.body as { email?: unknown } | undefined)?.email;
  return typeof given === 'string' ? given.trim().toLowerCase() : '';
};
const isPublishable = (req: Request) => keyKind(bearerOf(req.headers.authorization)) === 'publishable';

/** Builds the limiters; shared through Redis when given, in process memory otherwise. */
export function createRateLimits(opts: { redis?: Redis; multiplier: number; logger: Logger; keyPrefix?: string; onReject?: (limit: LimitName) => void }) {
  const budgets = {} as Record<LimitName, { store: ResilientStore; limit: number; windowMs: number }>;
  const limiter = (name: LimitName, key: (req: Request) => string, extra: Partial<Options> = {}): RequestHandler => {
    const { windowMs } = RATE_LIMITS[name];
    const limit = Math.max(1, Math.round(RATE_LIMITS[name].limit * opts.multiplier));
    const store = new ResilientStore(opts.redis, `${opts.keyPrefix ?? 'ii:rl:'}${name}:`, opts.logger);
    budgets[name] = { store, limit, windowMs };
    return rateLimit({
      windowMs,
      limit,
      identifier: name,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      // Keys are built here from the trusted-proxy-aware req.ip; skip the library's per-request checks.
      validate: false,
      keyGenerator: key,
      store,
      handler: (req: Request, _res: Response, next: NextFunction) => {
        opts.onReject?.(name);
        const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime?.getTime();
        const retryAfter = Math.max(1, Math.ceil(((reset ?? Date.now() + windowMs) - Date.now()) / 1000));
        next(new AppError('rate_limited', `Too many requests (${name.replace(/([A-Z])/g, ' $1').toLowerCase()} limit). Retry in ${retryAfter} seconds.`, { retry_after: retryAfter }));
      },
      ...extra,
    });
  };
  const ip = (req: Request) => clientKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
  /**
   * Failed logins per account from every IP: past the threshold each attempt is delayed a little
   * more (progressive), so distributed guessing gets slow while the owner, who knows the password,
   * still gets in instead of being locked out.
   */
  const accountSlowdown = (): RequestHandler => {
    const { windowMs } = RATE_LIMITS.loginSlowdown;
    const delayAfter = Math.max(1, Math.round(RATE_LIMITS.loginSlowdown.limit * opts.multiplier));
    return slowDown({
      windowMs,
      delayAfter,
      delayMs: (used) => (used - delayAfter) * SLOWDOWN_STEP_MS,
      maxDelayMs: SLOWDOWN_MAX_MS,
      keyGenerator: email,
      skipSuccessfulRequests: true,
      store: new ResilientStore(opts.redis, `${opts.keyPrefix ?? 'ii:rl:'}loginSlowdown:`, opts.logger),
      validate: false,
    });
  };
  const userKey = (req: Request) => (req.auth?.kind === 'user' ? req.auth.userId : ip(req));
  const signedIn = (req: Request) => req.auth?.kind === 'user';

  return {
    /** Each limit's store and size, for the fast lane that answers cached reads before Express. */
    budgets,
    /** Tells the metrics a request was rejected. */
    rejected: (name: LimitName) => opts.onReject?.(name),
    /** Before auth: per-IP budget for requests without credentials (publishable keys count as anonymous). */
    anonymous: limiter('anonymous', ip, { skip: (req) => Boolean(req.headers.authorization) && !isPublishable(req) && !isSessionPath(req.path) }),
    /** Before auth: per-IP budget of refused credentials (counts only 401 answers), so junk tokens cannot flood the key lookup. */
    credentialFailures: limiter('credentialFailures', ip, {
      skip: (req) => !req.headers.authorization || isPublishable(req) || isSessionPath(req.path),
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      skipSuccessfulRequests: true,
    }),
    /** After auth: per-user budget. */
    authenticated: limiter('authenticated', userKey, { skip: (req) => !signedIn(req) }),
    bookingWrites: limiter('bookingWrites', userKey, { skip: (req) => req.method !== 'POST' || !signedIn(req) }),
    login: [
      limiter('loginPerIp', ip),
      limiter('loginFailures', (req) => `${email(req)}|${ip(req)}`, { skipSuccessfulRequests: true }),
      accountSlowdown(),
    ],
    /** After auth: wrong current passwords per user, so a stolen access token cannot guess the password. */
    passwordChange: limiter('passwordChangeFailures', userKey, { skipSuccessfulRequests: true, requestWasSuccessful: (_req, res) => res.statusCode !== 401 }),
    register: limiter('register', ip),
    // Keyed by a hash of the URL: the feed's secret token is not written to Redis.
    calendarFeed: limiter('calendarFeed', (req) => sha256(req.path)),
    // Per email and IP: someone else cannot use up the owner's budget (the service caps mails per account).
    passwordReset: [limiter('resetPerIp', ip), limiter('resetPerEmail', (req) => `${email(req)}|${ip(req)}`)],
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
