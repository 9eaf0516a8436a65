import { AppError } from './errors.js';

interface DriverError {
  name?: string;
  message?: string;
  code?: string;
  parent?: { code?: string; message?: string };
  original?: { code?: string; message?: string };
}

// Sequelize's own names for "could not reach the database" (refused, timed out, pool exhausted, ...).
const CONNECTION_ERROR = /^Sequelize(Connection\w*|HostNotReachable|HostNotFound|AccessDenied|InvalidConnection)Error$/;
// Socket errors from the driver, and the messages pg gives a connection that died under it.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const DEAD_CONNECTION = /Connection terminated|connection error|Client was closed|not queryable/i;

/**
 * Maps a failure of the database itself (not of the query) to a 503 problem the client can
 * retry, or returns null: PostgreSQL unreachable or restarting (SQLSTATE classes 08 and 57P),
 * and a SQLite file that cannot be written (disk full, read-only file system).
 */
export function databaseFault(err: unknown): AppError | null {
  const e = (err ?? {}) as DriverError;
  const code = e.parent?.code ?? e.original?.code ?? e.code ?? '';
  const message = e.parent?.message ?? e.message ?? '';
  if (code.startsWith('SQLITE_FULL') || /database or disk is full/.test(message)) {
    return new AppError('storage_full', 'The disk holding the database is full, so nothing can be saved right now. Reads still work; retry later.', { retry_after: 60 });
  }
  if (code.startsWith('SQLITE_READONLY') || /attempt to write a readonly database/.test(message)) {
    return new AppError('database_read_only', 'The database cannot be written right now (read-only storage). Reads still work; retry later.', { retry_after: 60 });
  }
  if (CONNECTION_ERROR.test(e.name ?? '') || SOCKET_CODES.has(code) || /^(08|57P)/.test(code) || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_BUSY' || DEAD_CONNECTION.test(message)) {
    return new AppError('database_unavailable', 'The database is unreachable or restarting. Retry in a moment.', { retry_after: 1 });
  }
  return null;
}
