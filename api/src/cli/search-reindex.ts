// `npm run search:reindex`: rebuilds the search index of every published instructor from the
// database in DATABASE_URL (after a bulk import that bypassed the API; the API keeps it in step itself).
import '../platform/node-version.js';
import { QueryTypes } from 'sequelize';
import { ConfigError, loadProcessConfig } from '../platform/config.js';
import { openDb } from '../platform/db.js';
import { systemClock } from '../platform/clock.js';
import { migrate } from '../migrations/index.js';
import { searchIndex } from '../search/index-writer.js';

const BATCH = 500;

try {
  const config = loadProcessConfig();
  const db = await openDb(config.databaseUrl);
  try {
    await migrate(db);
    const started = Date.now();
    // After a bulk import the planner has no statistics yet and may scan all ranges per batch.
    await db.sequelize.query('ANALYZE');
    const ids = (
      await db.sequelize.query<{ user_id: string }>('SELECT user_id FROM instructor_profiles WHERE published = :yes ORDER BY user_id', { replacements: { yes: true }, type: QueryTypes.SELECT })
    ).map((r) => r.user_id);
    const index = searchIndex(db.sequelize, systemClock);
    let lastDecile = -1;
    for (let i = 0; i < ids.length; i += BATCH) {
      await db.transaction((tx) => index.rebuild(ids.slice(i, i + BATCH), tx));
      const decile = Math.floor(((i + BATCH) / ids.length) * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        console.error(`  search index: ${Math.min(ids.length, i + BATCH)}/${ids.length} instructors (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
    }
    // PostgreSQL: VACUUM sets the visibility map, so searches walk their indexes without visiting the table.
    await db.sequelize.query(db.dialect === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE');
    console.log(`Search index rebuilt for ${ids.length} published instructors in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await db.close();
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(`Reindex failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
