import type { Logger } from 'pino';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { Metrics } from '../platform/metrics.js';
import { createBackup, type BackupResult } from './backup.js';
import { pruneBackups, type Keep } from './retention.js';

export interface ScheduledBackupDeps {
  db: Db;
  databaseUrl: string;
  dir: string;
  keep: Keep;
  clock: Clock;
  logger: Logger;
  metrics: Pick<Metrics, 'backupRun'>;
}

/**
 * One scheduled backup: take it, then apply the retention rule. The outcome goes to the
 * metrics (which the backup alerts watch) and the log; a failure is rethrown so the job
 * scheduler records it too.
 */
export async function runScheduledBackup(deps: ScheduledBackupDeps): Promise<BackupResult & { removed: string[] }> {
  const { logger } = deps;
  try {
    const result = await createBackup({ db: deps.db, databaseUrl: deps.databaseUrl, dir: deps.dir, now: deps.clock.now(), progress: (step) => logger.debug({ step }, 'backup') });
    const removed = await pruneBackups(deps.dir, deps.keep);
    deps.metrics.backupRun('ok', deps.clock.now());
    logger.info({ file: result.file, size: result.manifest.size, removed }, 'scheduled backup written');
    return { ...result, removed };
  } catch (err) {
    deps.metrics.backupRun('error', deps.clock.now());
    logger.error({ err, dir: deps.dir }, 'scheduled backup failed');
    throw err;
  }
}
