import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.js';

/** Start-up refused: another server holds the embedded database. */
export class DatabaseInUseError extends ConfigError {}

/**
 * Takes `<file>.lock` for this process, or refuses to start: SQLite writes are serialized by an
 * in-process queue, so a second server on the same file would race the first into SQLITE_BUSY.
 * A lock left by a process that no longer runs (a crash, kill -9) is taken over. Returns the
 * release function.
 */
export function lockSqliteFile(dbFile: string): () => void {
  const lockFile = `${dbFile}.lock`;
  // A fresh clone has no data directory yet: the lock is the first file the server writes there.
  mkdirSync(path.dirname(dbFile), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => {
        if (ownerOf(lockFile) === process.pid) unlinkSync(lockFile);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = ownerOf(lockFile);
      // Our own pid counts too: two servers in one process would have two writer queues.
      if (owner !== undefined && isRunning(owner)) {
        throw new DatabaseInUseError(
          `Another API server (pid ${owner}) is using ${dbFile}. The embedded SQLite database takes one server ` +
            'process; stop the other one, give this one its own DATA_DIR, or use PostgreSQL (DATABASE_URL=postgres://...) ' +
            `to run several. If no such server runs, delete ${lockFile}.`,
        );
      }
      unlinkSync(lockFile); // stale: its process is gone
    }
  }
  throw new DatabaseInUseError(`Could not take the lock ${lockFile}; another server is starting on the same database.`);
}

function ownerOf(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
