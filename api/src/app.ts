import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import { pinoHttp } from 'pino-http';
import { requestIdOf } from './platform/logger.js';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Logger } from 'pino';
import type { Db } from './platform/db.js';
import type { Clock } from './platform/clock.js';
import type { Mailer } from './platform/mail.js';
import type { Config } from './platform/config.js';
import type { ResponseCache } from './platform/cache.js';
import type { Redis } from 'ioredis';
import { createRateLimits } from './platform/rate-limit.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PublicIndex, noStoreByDefault } from './platform/http-cache.js';
import { captureHeaders, createFastLane } from './platform/fast-lane.js';
import { publicNow } from './instructors/public-service.js';
import { authenticate } from './platform/auth.js';
import { errorHandler, notFound } from './platform/error-handler.js';
import { databaseHealth, outageGuard } from './platform/outage-guard.js';
import { opsRoutes } from './platform/ops-routes.js';
import type { Metrics } from './platform/metrics.js';
import { metricsMiddleware, metricsRoutes } from './platform/metrics-http.js';
import { buildServices, type Services } from './services.js';
import { SpecRoutes } from './platform/spec-routes.js';
import { contractGuard } from './platform/contract-guard.js';
import { inputGuard } from './platform/input-guard.js';
import { accountRoutes } from './accounts/routes.js';
import { sessionRoutes } from './sessions/routes.js';
import { instructorRoutes, publicInstructorRoutes } from './instructors/routes.js';
import { availabilityRoutes } from './availability/routes.js';
import { bookingRoutes } from './bookings/routes.js';
import { paymentRoutes } from './payments/routes.js';
import { stripeWebhookRoutes } from './payments/webhook-routes.js';
import { paymentPageRoutes } from './payments/payment-page.js';
import { stripeClient } from './payments/stripe-processor.js';
import { calendarRoutes } from './calendar/routes.js';
import { webhookRoutes } from './webhooks/routes.js';
import { widgetRoutes } from './widget/routes.js';
import { readDemoWidget } from './widget/demo.js';
import { reminderRoutes } from './reminders/routes.js';

/** The contract at the repository root. */
export const SPEC_PATH = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
  /** The public response cache (in-process, or shared through Redis). */
  cache: ResponseCache;
  /** Users' role and token version for authentication (in process when not given). */
  userCache?: ResponseCache;
  /** This app's Prometheus metrics (served at /metrics; the rate limiter reports refusals to it). */
  metrics: Metrics;
  /** Shared Redis (rate-limit budgets across instances), when configured. */
  redis?: Redis;
  /** Prefix of this deployment's Redis keys. */
  redisKeyPrefix?: string;
  /** Tests turn this on so every response is checked against openapi.yaml. */
  validateResponses?: boolean;
  /** The clock `POST /v1/admin/test-clock` moves (outside production only). */
  testClock?: { advance(ms: number): void };
  /** Where the built widget is (default widget/dist/). */
  widgetDir?: string;
  /** Extra readiness checks (Redis when configured). */
  readiness?: () => Promise<Record<string, 'ok' | 'error' | 'not_configured'>>;
}

const PUBLIC_PATH = /^\/(v1\/instructors(\/|$|\?)|openapi\.yaml|healthz|readyz)/;
/**
 * What the booking widget calls besides public reads: sessions, saved cards, booking and
 * finishing its payment (3-D Secure), answered for partner origins; nothing else (no cancel).
 */
const WIDGET_PATH = /^\/v1\/(auth\/(register|login|refresh|logout)|me\/payment-methods(\/setup|\/[^/?]+)?|bookings(\/[^/?]+(\/confirm-payment)?)?)(\?|$)/;
/** Response headers the SDK reads across origins (retry waits, the request id to quote). */
const EXPOSED_HEADERS = ['Retry-After', 'X-Request-Id', 'RateLimit', 'RateLimit-Policy', 'Idempotent-Replayed'];

/** Builds the Express app: middleware in the documented order, then each resource's routes. */
export function createApp(deps: AppDeps): { app: Express; services: Services; listener: (req: IncomingMessage, res: ServerResponse) => void } {
  const { config, db, logger } = deps;
  const services = buildServices(deps);
  const limits = createRateLimits({ redis: deps.redis, multiplier: config.rateLimitMultiplier, logger, keyPrefix: `${deps.redisKeyPrefix ?? 'ii:'}rl:`, onReject: deps.metrics.rateLimited });
  const specRoutes = SpecRoutes.load(SPEC_PATH);
  const app = express();
  app.set('query parser', 'extended');
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = requestIdOf(req.headers['x-request-id']);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      // One short line per request: who asked what, and the answer (headers would drown the log).
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(metricsMiddleware(deps.metrics));
  const dbHealth = databaseHealth();
  app.use(outageGuard(dbHealth));
  const securityHeaders = helmet();
  app.use(securityHeaders);
  app.use(noStoreByDefault);
  app.use(
    cors((req, cb) => {
      const origin = req.headers.origin;
      // Preflights advertise only the methods the contract has for this path.
      const methods = (specRoutes.match((req as express.Request).path)?.allow ?? '').replace(/, OPTIONS$/, '');
      const exposedHeaders = EXPOSED_HEADERS;
      if (origin && config.corsOrigins.includes(origin)) return cb(null, { origin: true, credentials: true, maxAge: 600, methods, exposedHeaders });
      // Public reads (and publishable keys, checked against their own origins) work from any site, without credentials.
      if (PUBLIC_PATH.test(req.url ?? '')) return cb(null, { origin: true, credentials: false, maxAge: 600, methods, exposedHeaders });
      // The widget's own calls, from a site some publishable key is bound to (tokens in headers, never cookies).
      if (origin && WIDGET_PATH.test(req.url ?? '')) {
        services.apiKeys.isPartnerOrigin(origin).then(
          (partner) => cb(null, partner ? { origin: true, credentials: false, maxAge: 600, methods, exposedHeaders } : { origin: false }),
          () => cb(null, { origin: false }),
        );
        return;
      }
      cb(null, { origin: false });
    }),
  );
  app.use(limits.anonymous);
  app.use(limits.credentialFailures);
  // Stripe signs the raw body: its webhook reads it before the JSON parser does.
  const webhookSecret = config.stripe?.webhookSecret;
  app.use(stripeWebhookRoutes({ stripe: config.stripe && webhookSecret ? stripeClient(config.stripe) : undefined, secret: webhookSecret, flow: services.bookings.paymentFlow, jobs: services.jobs }));
  app.use(express.json({ limit: '1mb', strict: false, type: ['application/json', 'application/*+json'] }));
  app.use(inputGuard());
  // Before authentication, which would take the metrics token for a JWT and refuse it.
  app.use(metricsRoutes(deps.metrics, config.metricsToken));
  app.use(authenticate(services.tokens, services.apiKeys, services.userStates));
  app.use(limits.authenticated);
  app.use('/v1/bookings', limits.bookingWrites);
  app.get('/v1/calendar/:file', limits.calendarFeed);
  app.post('/v1/auth/login', ...limits.login);
  app.post('/v1/auth/register', limits.register);
  app.post('/v1/me/password', limits.passwordChange);
  app.post('/v1/auth/password-reset/request', ...limits.passwordReset);
  app.use(opsRoutes(SPEC_PATH, { check: () => readiness(db, deps.readiness) }));
  // The page the "fix your payment" mail links to (HTML, outside the API contract).
  app.use(paymentPageRoutes({ bookings: services.bookings, cards: services.cards, secret: config.jwtSecret, publicUrl: config.publicUrl }));
  app.use(widgetRoutes({ demo: () => readDemoWidget(config.dataDir), dir: deps.widgetDir }));
  app.use(contractGuard(specRoutes));
  app.use(
    OpenApiValidator.middleware({
      apiSpec: SPEC_PATH,
      validateRequests: { allowUnknownQueryParameters: false },
      validateResponses: deps.validateResponses ? { removeAdditional: false } : false,
      validateSecurity: false,
      ignorePaths: /^\/(docs|metrics)/,
      validateFormats: true,
    }),
  );
  app.use(accountRoutes(services.accounts, services.apiKeys));
  app.use(sessionRoutes(services.sessions));
  app.use(instructorRoutes(services.instructors));
  app.use(availabilityRoutes(services.availability));
  const index = new PublicIndex();
  app.use(publicInstructorRoutes(services.publicInstructors, deps.cache, index, deps.clock));
  app.use(bookingRoutes(services.bookings, services.idempotency, services.dashboard));
  app.use(paymentRoutes({ cards: services.cards, bookings: services.bookings, jobs: services.jobs, clock: deps.clock, testClock: config.env === 'production' ? undefined : deps.testClock }));
  app.use(calendarRoutes(services.calendar));
  app.use(webhookRoutes(services.webhooks));
  app.use(reminderRoutes(services.reminders));
  app.use(notFound);
  app.use(errorHandler(logger, dbHealth.noteFault));
  const fastLane = createFastLane({
    cache: deps.cache,
    index,
    clock: deps.clock,
    bucket: (now) => publicNow(now).bucket,
    budget: limits.budgets.anonymous,
    trustProxy: app.get('trust proxy fn'),
    corsOrigins: config.corsOrigins,
    exposedHeaders: EXPOSED_HEADERS,
    securityHeaders: captureHeaders(securityHeaders),
    logger,
    observe: (route, status, seconds) => deps.metrics.httpRequest('GET', route, status, seconds),
  });
  return { app, services, listener: fastLane(app) };
}

async function readiness(db: Db, extra?: AppDeps['readiness']): Promise<Record<string, 'ok' | 'error' | 'not_configured'>> {
  const database = await db.ping().then(
    () => 'ok' as const,
    () => 'error' as const,
  );
  return { database, ...(extra ? await extra() : { redis: 'not_configured' as const }) };
}
