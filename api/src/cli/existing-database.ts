// Operator commands that work on the API's database (backup, admin:create) refuse to run when
// there is none where DATABASE_URL / DATA_DIR point: opening SQLite would otherwise create an
// empty file there, and the command would act on a database the server does not use.
import { existsSync } from 'node:fs';
import { describeTarget } from '../backups/restore.js';
import { sqliteFile } from '../backups/sqlite.js';

/** Exits through `fail` unless the SQLite file exists (PostgreSQL databases are checked on connect). */
export function requireExistingDatabase(url: string, fail: (message: string) => never): void {
  if (url.startsWith('sqlite:') && (sqliteFile(url) === ':memory:' || !existsSync(sqliteFile(url)))) {
    fail(`there is no database at ${describeTarget(url)}: run this with the server's DATA_DIR (or DATABASE_URL), or start the API once there first`);
  }
}
