import { DatabaseSync } from 'node:sqlite';
import { pgQuery } from './postgres.js';

/** Runs one counting query straight on the API's database (read-only on SQLite; WAL lets it read beside the API). */
export async function countRows(databaseUrl: string, sql: string, params: string[]): Promise<number> {
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new DatabaseSync(databaseUrl.slice('sqlite:'.length), { readOnly: true });
    try {
      const row = db.prepare(sql.replace(/\$\d+/g, '?')).get(...params) as { n: number | bigint } | undefined;
      return Number(row?.n ?? 0);
    } finally {
      db.close();
    }
  }
  const [row] = await pgQuery<{ n: string }>(databaseUrl, sql, params);
  return Number(row?.n ?? 0);
}
