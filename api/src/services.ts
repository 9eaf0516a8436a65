import type { Db } from './platform/db.js';
import type { Clock } from './platform/clock.js';
import type { Mailer } from './platform/mail.js';
import type { Config } from './platform/config.js';
import { createTokenService } from './platform/tokens.js';
import { createPasswordHasher } from './platform/passwords.js';
import { userStates as userStateCache } from './accounts/user-state.js';
import { sessionRepository } from './sessions/repository.js';
import { sessionService } from './sessions/service.js';
import { accountRepository } from './accounts/repository.js';
import { accountService } from './accounts/service.js';
import { apiKeyService } from './accounts/api-keys.js';
import { instructorRepository } from './instructors/repository.js';
import { instructorService } from './instructors/service.js';
import { searchRepository } from './instructors/search-repository.js';
import { publicInstructorService } from './instructors/public-service.js';
import { availabilityRepository } from './availability/repository.js';
import { availabilityService } from './availability/service.js';
import { bookingRepository, bookingTimeRepository } from './bookings/repository.js';
import { bookingService } from './bookings/service.js';
import { dashboardService } from './bookings/dashboard.js';
import { mailOutbox } from './platform/outbox.js';
import { jobRepository } from './jobs/repository.js';
import { jobScheduler } from './jobs/service.js';
import { scheduleBackups } from './backups/schedule.js';
import { paymentRepository } from './payments/repository.js';
import { paymentService } from './payments/service.js';
import { cardService } from './payments/cards.js';
import { createProcessor } from './payments/create-processor.js';
import { paymentFlow } from './bookings/payment-flow.js';
import { idempotencyStore } from './platform/idempotency.js';
import type { Logger } from 'pino';
import { ResponseCache } from './platform/cache.js';
import { searchIndex } from './search/index-writer.js';
import type { Metrics } from './platform/metrics.js';
import { calendarRepository } from './calendar/repository.js';
import { calendarService } from './calendar/service.js';
import { announcingChanges, BOOKING_CHANGED_JOB, type BookingChanged } from './bookings/changes.js';
import { buildWebhooks } from './webhooks/wiring.js';
import { reminderRepository } from './reminders/repository.js';
import { reminderService } from './reminders/service.js';

export interface ServiceDeps {
  config: Pick<Config, 'jwtSecret' | 'publicUrl' | 'studentBookingLimit' | 'env' | 'webhookTimeoutMs' | 'databaseUrl' | 'backupDir' | 'backupKeep' | 'payments'> & Partial<Pick<Config, 'passwordHashConcurrency' | 'backupCron' | 'stripe'>>;
  db: Db;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
  cache: ResponseCache;
  /** Users' role and token version (in process when not given). */
  userCache?: ResponseCache;
  /** Times every service method call. */
  metrics: Pick<Metrics, 'instrument' | 'backupRun'>;
}

/** Builds every repository and service with its dependencies: plain functions, no container. */
export function buildServices({ config, db, clock, mailer, logger, cache, userCache, metrics }: ServiceDeps) {
  // Each service is timed as it is built, so the services that use it call the timed one too.
  const timed = metrics.instrument;
  const tokens = timed('tokens', createTokenService(config.jwtSecret));
  const accountsRepo = accountRepository(db);
  const userStates = timed('userStates', userStateCache(accountsRepo, userCache ?? new ResponseCache({ logger, ttlSeconds: 60 })));
  const sessionsRepo = sessionRepository(db);
  const sessions = timed('sessions', sessionService({ db, sessions: sessionsRepo, accounts: accountsRepo, tokens, clock }));
  const hasher = timed('hasher', createPasswordHasher(config.passwordHashConcurrency));
  const instructorsRepo = instructorRepository(db);
  const availabilityRepo = availabilityRepository(db);
  const bookingTimes = bookingTimeRepository(db);
  // Every write that changes what the public sees bumps the instructor's version; searches are
  // invalidated by the search index, only those the change can affect (see search/facets.ts).
  const onPublicChange = async (instructorId: string) => {
    await cache.bump(instructorId);
  };
  const search = searchIndex(db.sequelize, clock, async (namespaces) => {
    await Promise.all(namespaces.map((ns) => cache.bump(ns)));
  });
  // Time passing moves next_free_date on: once per public 15-minute bucket, before that bucket's first search.
  let swept: { at: number; done: Promise<void> } | undefined;
  const freshIndex = (at: number) => {
    if (swept?.at !== at) {
      const done = db.transaction((tx) => search.sweep(at, tx));
      swept = { at, done };
      done.catch(() => {
        if (swept?.done === done) swept = undefined;
      });
    }
    return swept.done;
  };
  const jobsRepo = jobRepository(db);
  const jobs = jobScheduler({ db, jobs: jobsRepo, clock, logger });
  // Finished one-off jobs (sent mail, done payment steps) are kept 30 days for support, then deleted.
  jobs.every('jobs.prune', 6 * 3_600_000, () => jobsRepo.pruneFinished(new Date(clock.now().getTime() - 30 * 86_400_000)));
  // Expired refresh tokens (rotated and revoked ones too) are deleted a day after they expire.
  jobs.every('sessions.prune', 6 * 3_600_000, () => sessionsRepo.pruneExpired(new Date(clock.now().getTime() - 86_400_000)));
  const outbox = timed('outbox', mailOutbox(jobs, mailer));
  if (config.backupCron) scheduleBackups(jobs, config.backupCron, { db, databaseUrl: config.databaseUrl, dir: config.backupDir, keep: config.backupKeep, clock, logger, metrics });
  const plainBookingsRepo = bookingRepository(db);
  // Every booking change writes a booking.changed job in its own transaction (the outbox); after
  // commit that job writes the webhook deliveries and plans the reminders, in one transaction.
  jobs.define(BOOKING_CHANGED_JOB, async ({ booking_id, change }: BookingChanged) =>
    db.transaction(async (tx) => {
      const booking = await plainBookingsRepo.find(booking_id, tx);
      if (!booking) return;
      await webhooks.onBookingChange(tx, change, booking);
      await reminders.onBookingChange(tx, change, booking);
    }), { maxAttempts: 10 });
  const bookingsRepo = announcingChanges(plainBookingsRepo, jobs);
  const processor = timed('processor', createProcessor(config, db, clock));
  const paymentsRepo = paymentRepository(db);
  const payments = timed('payments', paymentService({ db, clock, processor, payments: paymentsRepo, setPaymentStatus: bookingsRepo.setPaymentStatus,
    addHistory: (bookingId, type, data, tx) => bookingsRepo.addEvent(bookingId, type, null, data, tx),
    settings: config.payments, logger }));
  const cards = timed('cards', cardService({ db, clock, processor, payments: paymentsRepo, accounts: accountsRepo, publishableKey: config.stripe?.publishableKey }));
  // A card saved in the browser (Stripe.js + SetupIntent) arrives by webhook; it is attached after commit.
  jobs.define('payment.save-card', async (p: { customer: string; payment_method: string }) => {
    const userId = await paymentsRepo.userOfCustomer(p.customer);
    if (userId) await cards.attach({ userId, role: 'student' }, p.payment_method);
  });
  const bookings = timed('bookings', bookingService({
    db,
    clock,
    bookings: bookingsRepo,
    accounts: accountsRepo,
    instructors: instructorsRepo,
    availability: availabilityRepo,
    outbox,
    jobs,
    studentBookingLimit: config.studentBookingLimit,
    onPublicChange,
    search,
    payments,
    cards,
    processorName: processor.name,
    paymentSettings: config.payments,
    flow: (announce) => paymentFlow({ db, clock, bookings: bookingsRepo, accounts: accountsRepo, instructors: instructorsRepo, payments, jobs, outbox, settings: config.payments, publicUrl: config.publicUrl, linkSecret: config.jwtSecret, logger, announce, onPublicChange }),
  }));

  const webhooks = timed('webhooks', buildWebhooks({
    db,
    clock,
    jobs,
    outbox,
    accounts: accountsRepo,
    // Outside production, receivers on the developer's own machine (http://127.0.0.1:PORT) are allowed.
    policy: { allowLoopback: config.env !== 'production' },
    timeoutMs: config.webhookTimeoutMs,
    bookingView: async (id, tx) => {
      const b = await plainBookingsRepo.find(id, tx);
      return b ? bookings.view(b, tx) : null;
    },
  }));

  const reminders = timed('reminders', reminderService({
    db,
    clock,
    jobs,
    reminders: reminderRepository(db),
    accounts: accountsRepo,
    bookings: plainBookingsRepo,
    outbox,
    bookingView: async (id, tx) => {
      const b = await plainBookingsRepo.find(id, tx);
      return b ? bookings.view(b, tx) : null;
    },
    publish: (tx, type, owners, data) => webhooks.publish(tx, type, owners, data),
  }));

  const instructors = timed('instructors', instructorService({
    db,
    instructors: instructorsRepo,
    serviceHasBookings: bookingTimes.serviceHasBookings,
    onPublicChange,
    search,
    noShowFeePercent: config.payments.noShowFeePercent,
  }));
  return {
    tokens,
    jobs: timed('jobs', jobs),
    outbox,
    processor,
    payments,
    cards,
    webhooks,
    reminders,
    bookings,
    idempotency: timed('idempotency', idempotencyStore(db, clock)),
    dashboard: timed('dashboard', dashboardService({ clock, bookings: bookingsRepo, accounts: accountsRepo, instructors: instructorsRepo, bookingService: bookings, payments })),
    accounts: timed('accounts', accountService({ db, accounts: accountsRepo, instructors: instructorsRepo, sessions, userStates, hasher, clock, outbox, publicUrl: config.publicUrl, onPublicChange, search })),
    sessions,
    userStates,
    hasher,
    apiKeys: timed('apiKeys', apiKeyService({ db, accounts: accountsRepo, clock })),
    instructors,
    availability: timed('availability', availabilityService({
      db,
      availability: availabilityRepo,
      bookingTimes,
      instructorZone: async (userId) => (await instructors.profileOf(userId)).timezone,
      onPublicChange,
      search,
    })),
    calendar: timed('calendar', calendarService({ db, clock, feeds: calendarRepository(db), publicUrl: config.publicUrl })),
    publicInstructors: timed('publicInstructors', publicInstructorService({
      instructors: instructorsRepo,
      accounts: accountsRepo,
      search: searchRepository(db),
      availability: availabilityRepo,
      bookingTimes,
      clock,
      freshIndex,
    })),
  };
}

export type Services = ReturnType<typeof buildServices>;
