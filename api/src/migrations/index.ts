import { Umzug, SequelizeStorage } from 'umzug';
import type { Db } from '../platform/db.js';
import * as m001 from './001-accounts-instructors-availability.js';
import * as m002 from './002-bookings.js';
import * as m003 from './003-booking-participants.js';
import * as m004 from './004-sessions.js';
import * as m005 from './005-jobs.js';
import * as m006 from './006-payments.js';
import * as m007 from './007-webhook-events.js';
import * as m010 from './010-calendar-feeds.js';
import * as m011 from './011-webhooks.js';
import * as m012 from './012-reminders.js';
import * as m020 from './020-booking-source.js';
import * as m030 from './030-search-index.js';
import * as m031 from './031-search-backfill.js';

type Migration = { up: (params: { context: import('sequelize').QueryInterface }) => Promise<void> };

/** Forward-only migrations, in order; the same files run on SQLite and PostgreSQL. */
const MIGRATIONS: Array<[string, Migration]> = [
  ['001-accounts-instructors-availability', m001],
  ['002-bookings', m002],
  ['003-booking-participants', m003],
  ['004-sessions', m004],
  ['005-jobs', m005],
  ['006-payments', m006],
  ['007-webhook-events', m007],
  ['010-calendar-feeds', m010],
  ['011-webhooks', m011],
  ['012-reminders', m012],
  ['020-booking-source', m020],
  ['030-search-index', m030],
  ['031-search-backfill', m031],
];

/** Builds the migrator for a database. */
export function migrator(db: Db, log?: (msg: string) => void) {
  return new Umzug({
    migrations: MIGRATIONS.map(([name, m]) => ({ name, up: m.up })),
    context: db.sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: 'schema_migrations' }),
    logger: log
      ? { info: (e) => log(`migration ${String((e as { event?: string; name?: string }).name ?? '')} ${String((e as { event?: string }).event ?? '')}`), warn: () => {}, error: () => {}, debug: () => {} }
      : undefined,
  });
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(db: Db, log?: (msg: string) => void): Promise<string[]> {
  const applied = await migrator(db, log).up();
  return applied.map((m) => m.name);
}

/** The names of every migration this version knows, oldest first (a backup from a newer schema has others). */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map(([name]) => name);
