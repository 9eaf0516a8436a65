import type { JobScheduler } from '../jobs/service.js';
import { runScheduledBackup, type ScheduledBackupDeps } from './scheduled.js';

/**
 * Registers the scheduled backup (BACKUP_CRON, UTC) on the job scheduler: its one row in the
 * jobs table is claimed by one instance at a time, so several instances take one backup. The
 * lease is long (a large pg_dump takes a while); a failed run is retried twice, 10 minutes apart.
 */
export function scheduleBackups(jobs: JobScheduler, cron: string, deps: ScheduledBackupDeps): void {
  jobs.cron('backup.scheduled', cron, () => runScheduledBackup(deps), { leaseMs: 3 * 3_600_000, maxAttempts: 3, backoffMs: () => 10 * 60_000 });
}
