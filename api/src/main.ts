import './platform/node-version.js';
import path from 'node:path';
import type { Server } from 'node:http';
import { loadProcessConfig, ConfigError, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { openDb, sqliteFileOf } from './platform/db.js';
import { lockSqliteFile } from './platform/sqlite-lock.js';
import { adjustableClock, systemClock } from './platform/clock.js';
import { createMailer } from './platform/mail.js';
import { migrate } from './migrations/index.js';
import { createApp } from './app.js';
import { seedDemo } from './demo/seed.js';
import { ensureDemoWidget } from './widget/demo.js';
import { createSharedState } from './platform/shared-state.js';
import { createMetrics } from './platform/metrics.js';
import { createHttpServer } from './platform/http-server.js';

/** Starts the API: config, database, migrations, demo data, HTTP server, graceful shutdown. */
export async function startServer(config: Config = loadProcessConfig()): Promise<{ server: Server; stop: () => Promise<void> }> {
  const logger = createLogger(config.logLevel);
  const sqliteFile = sqliteFileOf(config.databaseUrl);
  const unlock = sqliteFile ? lockSqliteFile(sqliteFile) : () => undefined;
  const db = await openDb(config.databaseUrl, logger).catch((err: unknown) => {
    unlock();
    throw err;
  });
  if (config.autoMigrate) {
    const applied = await migrate(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  }
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: path.join(config.dataDir, 'outbox') });
  const metrics = createMetrics();
  const shared = createSharedState(config.redisUrl, logger, { observe: metrics.cacheEvent });
  metrics.watch({ db, redis: shared.redis });
  // Outside production the admin's test clock (POST /v1/admin/test-clock) can move time forward.
  const testClock = config.env === 'production' ? undefined : adjustableClock(systemClock);
  const clock = testClock ?? systemClock;
  const { listener, services } = createApp({ config, db, clock, testClock, mailer, logger, cache: shared.cache, userCache: shared.userCache, metrics, redis: shared.redis, redisKeyPrefix: shared.keyPrefix, readiness: shared.readiness });
  let demoPage = false;
  if (config.seedDemo && db.dialect === 'sqlite') {
    const seeded = await seedDemo(db, services, clock, testClock?.travel);
    if (seeded) {
      logger.info(
        seeded,
        `demo data created: sign in as the student ${seeded.student} or an instructor such as ${seeded.instructorEmails[0]}, password "${seeded.password}"`,
      );
    }
    demoPage = (await ensureDemoWidget(services.apiKeys, config.dataDir, config.publicUrl, seeded?.widgetInstructorId)) !== null;
  }
  services.jobs.start();
  const server = await new Promise<Server>((resolve) => {
    const s = createHttpServer(listener, config.http).listen(config.port, config.host, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`InstaInstru API listening on http://${config.host}:${port} (docs: http://${config.host}:${port}/docs${demoPage ? `, booking widget demo: http://${config.host}:${port}/demo` : ''})`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down: finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A connection whose last request ends after close() would otherwise idle for the whole keep-alive timeout.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      await closed;
      clearInterval(sweep);
      await services.jobs.stop();
      await services.hasher.close();
      await mailer.close();
      await shared.close();
      await db.close();
      unlock();
      logger.info('shut down cleanly');
      logger.flush();
    })();
    return stopping;
  };
  return { server, stop };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href;
if (isMain) {
  try {
    const { stop } = await startServer();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        stop().then(() => process.exit(0), () => process.exit(1));
      });
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
