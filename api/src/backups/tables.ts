import { QueryTypes, type Sequelize } from 'sequelize';
import type { Dialect } from '../platform/db.js';

/** Runs one SELECT and types its rows (the only raw reads this module makes). */
export async function select<T extends object>(sequelize: Sequelize, sql: string): Promise<T[]> {
  return sequelize.query<T>(sql, { type: QueryTypes.SELECT });
}

/** The user tables of a database, sorted (SQLite internals and PostgreSQL catalogs left out). */
export async function tableNames(sequelize: Sequelize, dialect: Dialect): Promise<string[]> {
  const sql =
    dialect === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      : "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename";
  return (await select<{ name: string }>(sequelize, sql)).map((r) => r.name);
}

/** Rows per table. */
export async function rowCounts(sequelize: Sequelize, dialect: Dialect): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(sequelize, dialect)) {
    const [row] = await select<{ n: number | string }>(sequelize, `SELECT COUNT(*) AS n FROM "${name.replace(/"/g, '""')}"`);
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/** The migrations recorded in the database, oldest first (empty for a database never migrated). */
export async function appliedMigrations(sequelize: Sequelize, dialect: Dialect): Promise<string[]> {
  if (!(await tableNames(sequelize, dialect)).includes('schema_migrations')) return [];
  return (await select<{ name: string }>(sequelize, 'SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
}
