// `npm run migrate`: applies pending migrations to the database named by DATABASE_URL.
import '../platform/node-version.js';
import { ConfigError, loadProcessConfig } from '../platform/config.js';
import { openDb } from '../platform/db.js';
import { migrate } from '../migrations/index.js';

try {
  const config = loadProcessConfig();
  const db = await openDb(config.databaseUrl);
  try {
    const applied = await migrate(db);
    if (applied.length === 0) console.log(`No pending migrations: ${db.dialect} database is up to date.`);
    else console.log(`Applied ${applied.length} migration(s) to the ${db.dialect} database:\n${applied.map((n) => `  ${n}`).join('\n')}`);
  } finally {
    await db.close();
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
