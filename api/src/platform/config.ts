import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Cron } from 'croner';

const boolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default('127.0.0.1'),
  // Unset: the embedded database inside DATA_DIR.
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres(ql)?:\/\/)/, 'must start with sqlite: or postgres://')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis://').optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().default('InstaInstru <no-reply@instainstru.local>'),
  PUBLIC_URL: z.string().url().optional(),
  RATE_LIMIT_MULTIPLIER: z.coerce.number().positive().default(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: z.string().default(''),
  AUTO_MIGRATE: boolean.default(true),
  SEED_DEMO: boolean.default(true),
  DATA_DIR: z.string().default('./data'),
  TRUST_PROXY: z.string().default('false'),
  METRICS_TOKEN: z.string().min(16).optional(),
  BACKUP_DIR: z.string().optional(),
  BACKUP_CRON: z
    .string()
    .refine(isCronExpression, 'must be a cron expression (UTC) such as "0 3 * * *"')
    .optional(),
  BACKUP_KEEP: z
    .string()
    .regex(/^daily:\d+,weekly:\d+$/, 'must look like daily:7,weekly:4')
    .default('daily:7,weekly:4')
    .transform((v) => {
      const [daily, weekly] = v.split(',').map((part) => Number(part.split(':')[1]));
      return { daily: daily ?? 0, weekly: weekly ?? 0 };
    }),
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  // Slow clients cannot hold sockets open: whole request (headers and body), headers alone.
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  // Longer than common load balancers' idle timeout (60-65 s), so the balancer closes an idle connection first.
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(70_000),
  STUDENT_BOOKING_LIMIT: z.coerce.number().int().positive().default(10),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, 'must be a Stripe secret key (sk_test_... or sk_live_...)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_/, 'must be a webhook signing secret (whsec_...)').optional(),
  // Given to browsers (Stripe.js in the widget's pay step) with each card set-up; safe to publish.
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_/, 'must be a Stripe publishable key (pk_test_... or pk_live_...)').optional(),
  // Where stripe-node sends requests (a local stand-in in tests); unset: Stripe's API.
  STRIPE_API_URL: z.string().url().optional(),
  PAYMENT_HOLD_WINDOW_DAYS: z.coerce.number().positive().max(7).default(6),
  PAYMENT_AUTHORIZE_AHEAD_DAYS: z.coerce.number().positive().max(4.75).default(4),
  PAYMENT_ACTION_GRACE_MINUTES: z.coerce.number().positive().max(1440).default(15),
  PAYMENT_RECOVERY_GRACE_HOURS: z.coerce.number().positive().max(96).default(24),
  NO_SHOW_FEE_PERCENT: z.coerce.number().int().min(0).max(100).default(100),
  // A webhook receiver must answer within this (Svix and Standard Webhooks: 15 s).
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
});

/** The typed configuration every part of the API reads. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl?: string;
  jwtSecret: string;
  smtpUrl?: string;
  mailFrom: string;
  publicUrl: string;
  rateLimitMultiplier: number;
  logLevel: string;
  corsOrigins: string[];
  autoMigrate: boolean;
  seedDemo: boolean;
  dataDir: string;
  trustProxy: boolean | number | string;
  metricsToken?: string;
  /** Where `npm run backup` and scheduled backups write (default DATA_DIR/backups). */
  backupDir: string;
  /** Cron expression for scheduled backups; unset: none. */
  backupCron?: string;
  /** Scheduled backups kept: the newest of each of the last `daily` days and `weekly` weeks. */
  backupKeep: { daily: number; weekly: number };
  /** Password hashes computed at once (the rest queue); default half the cores. */
  passwordHashConcurrency?: number;
  /** HTTP server limits, in milliseconds. */
  http: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number };
  /** Most active future bookings one student may hold with one instructor. */
  studentBookingLimit: number;
  /** Stripe when a secret key is set, else the built-in offline processor. */
  stripe?: { secretKey: string; webhookSecret?: string; apiUrl?: string; publishableKey?: string };
  payments: PaymentSettings;
  /** How long a webhook receiver has to answer one attempt. */
  webhookTimeoutMs: number;
}

/** The two-step payment's timing and fees (product.md "Payments: two-step"). */
export interface PaymentSettings {
  /** A lesson ending within this many days is held at booking; later ones save the card. */
  holdWindowDays: number;
  /** Saved-card lessons are authorized off-session this many days before they start. */
  authorizeAheadDays: number;
  /** How long a booking waiting for the student's 3-D Secure keeps its time. */
  actionGraceMinutes: number;
  /** After a failed off-session authorization, how long the student has to fix it (never past the lesson). */
  recoveryGraceHours: number;
  /** No-show fee for instructors who set none, percent of the price. */
  noShowFeePercent: number;
}

/** Thrown for a bad environment: start-up stops with this message. */
export class ConfigError extends Error {}

/** The process's configuration: its environment, plus an optional `.env` file (the environment wins). */
export function loadProcessConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return loadConfig(process.env);
}

/** Parses and validates the environment once, at start-up. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set" (as in `REDIS_URL= npm start`).
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS');
  }
  const stripeMode = (key: string | undefined) => key?.match(/^\w+?_(test|live)_/)?.[1];
  if (e.STRIPE_PUBLISHABLE_KEY && !e.STRIPE_SECRET_KEY) {
    throw new ConfigError('Invalid configuration:\n  STRIPE_PUBLISHABLE_KEY: set STRIPE_SECRET_KEY too (without it the offline processor runs and Stripe.js is never loaded)');
  }
  if (e.STRIPE_PUBLISHABLE_KEY && stripeMode(e.STRIPE_PUBLISHABLE_KEY) !== stripeMode(e.STRIPE_SECRET_KEY)) {
    throw new ConfigError('Invalid configuration:\n  STRIPE_PUBLISHABLE_KEY: must be of the same mode (test or live) as STRIPE_SECRET_KEY');
  }
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'instainstru.db')}`,
    redisUrl: e.REDIS_URL,
    // Read on first use: operator commands that never sign a token leave no secret behind.
    get jwtSecret(): string {
      const secret = e.JWT_SECRET ?? devJwtSecret(dataDir);
      Object.defineProperty(this, 'jwtSecret', { value: secret, enumerable: true });
      return secret;
    },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    rateLimitMultiplier: e.RATE_LIMIT_MULTIPLIER,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    autoMigrate: e.AUTO_MIGRATE,
    seedDemo: e.SEED_DEMO,
    dataDir,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    metricsToken: e.METRICS_TOKEN,
    backupDir: path.resolve(e.BACKUP_DIR ?? path.join(dataDir, 'backups')),
    backupCron: e.BACKUP_CRON,
    backupKeep: e.BACKUP_KEEP,
    passwordHashConcurrency: e.PASSWORD_HASH_CONCURRENCY,
    http: { requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS, headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS, keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS },
    studentBookingLimit: e.STUDENT_BOOKING_LIMIT,
    stripe: e.STRIPE_SECRET_KEY ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, apiUrl: e.STRIPE_API_URL, publishableKey: e.STRIPE_PUBLISHABLE_KEY } : undefined,
    payments: {
      holdWindowDays: e.PAYMENT_HOLD_WINDOW_DAYS,
      authorizeAheadDays: e.PAYMENT_AUTHORIZE_AHEAD_DAYS,
      actionGraceMinutes: e.PAYMENT_ACTION_GRACE_MINUTES,
      recoveryGraceHours: e.PAYMENT_RECOVERY_GRACE_HOURS,
      noShowFeePercent: e.NO_SHOW_FEE_PERCENT,
    },
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
  };
}

function isCronExpression(value: string): boolean {
  try {
    new Cron(value, { paused: true });
    return true;
  } catch {
    return false;
  }
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Development only: a random secret generated once and kept in the data directory. */
function devJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
