import { accessSync, constants } from 'node:fs';
import type { Sequelize } from 'sequelize';

/** The parts of Sequelize's SQLite connection manager this module uses (not in its types). */
interface SqliteConnection {
  close(callback?: (err: Error | null) => void): void;
}
interface SqliteConnectionManager {
  connections: Record<string, SqliteConnection>;
  getConnection(options?: { uuid?: string; type?: string }): Promise<SqliteConnection>;
  releaseConnection(connection: SqliteConnection, force?: boolean): void;
}

const WRITER = 'writer';

/** What a write-attempt on a file that can no longer be written gives (databaseFault maps it to 503 database_read_only). */
class ReadOnlyFile extends Error {
  readonly code = 'SQLITE_READONLY';
  constructor(file: string, cause: unknown) {
    super(`attempt to write a readonly database (${file} is not writable)`, { cause });
  }
}

/**
 * One SQLite connection kept open for every write transaction of a file database. Sequelize opens
 * a new connection for each transaction and closes it after (a file open, the schema parsed again,
 * a close: most of what a short transaction costs); the writer queue already runs the transactions
 * one at a time, so they can share one. Reads outside transactions keep Sequelize's own connection.
 *
 * An open connection goes on writing a file whose mode or immutable flag changed under it, so
 * `beforeWrite` checks the file is still writable (one access(2) call, which reports both), and a
 * transaction that failed on the storage drops the connection (`reset`) so the next one opens afresh.
 */
export function sqliteWriter(sequelize: Sequelize, file: string) {
  // Sequelize's connection manager is not typed; this is the shape its SQLite dialect has.
  const manager = sequelize.connectionManager as unknown as SqliteConnectionManager;
  const open = manager.getConnection.bind(manager);
  const release = manager.releaseConnection.bind(manager);
  let writer: Promise<SqliteConnection> | undefined;

  manager.getConnection = (options = {}) => {
    if (!options.uuid || options.uuid === 'default') return open(options);
    writer ??= open({ ...options, uuid: WRITER }).catch((err: unknown) => {
      writer = undefined;
      throw err;
    });
    return writer;
  };
  manager.releaseConnection = (connection, force) => {
    // The writer stays open for the next transaction; only `reset` closes it.
    if (connection === manager.connections[WRITER]) return;
    release(connection, force);
  };

  return {
    /** Throws SQLITE_READONLY when the database file cannot be written now. */
    beforeWrite(): void {
      try {
        accessSync(file, constants.W_OK);
      } catch (err) {
        throw new ReadOnlyFile(file, err);
      }
    },
    /** Closes the writer connection; the next transaction opens a new one. */
    async reset(): Promise<void> {
      const pending = writer;
      writer = undefined;
      const connection = await pending?.catch(() => undefined);
      if (!connection) return;
      delete manager.connections[WRITER];
      await new Promise<void>((resolve) => connection.close(() => resolve()));
    },
  };
}
