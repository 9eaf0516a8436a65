import { QueryTypes, type QueryInterface } from 'sequelize';
import { systemClock } from '../platform/clock.js';
import { searchIndex } from '../search/index-writer.js';

/** Fills the search index (migration 030) from the profiles, services, availability and bookings already there. */
export async function up({ context: qi }: { context: QueryInterface }): Promise<void> {
  const rows = await qi.sequelize.query<{ user_id: string }>('SELECT user_id FROM instructor_profiles WHERE published = :yes ORDER BY user_id', {
    replacements: { yes: true },
    type: QueryTypes.SELECT,
  });
  const index = searchIndex(qi.sequelize, systemClock);
  for (let i = 0; i < rows.length; i += 500) await index.rebuild(rows.slice(i, i + 500).map((r) => r.user_id));
}
