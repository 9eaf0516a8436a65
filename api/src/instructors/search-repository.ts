import { QueryTypes } from 'sequelize';
import { jsonColumn, type Db } from '../platform/db.js';
import { normalizeArea, toService, type ServiceRow } from './repository.js';

export interface SearchFilters {
  q?: string;
  skill?: string;
  area?: string;
  min_price?: number;
  max_price?: number;
  location_type?: string;
  sort: 'price' | '-price' | 'name' | 'soonest';
  today: string;
}

export interface SearchHit {
  id: string;
  full_name: string;
  bio: string;
  timezone: string;
  service_areas: string[];
}

const ORDER: Record<SearchFilters['sort'], string> = {
  price: 'min_rate ASC, full_name ASC, id ASC',
  '-price': 'min_rate DESC, full_name ASC, id ASC',
  name: 'full_name ASC, id ASC',
  soonest: 'soonest ASC NULLS LAST, full_name ASC, id ASC',
};

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Published instructors with an active service matching the filters, in SQL that runs on SQLite and PostgreSQL. */
export function searchRepository(db: Db) {
  return {
    async search(f: SearchFilters, offset: number, limit: number): Promise<SearchHit[]> {
      const where = ['p.published = :yes', 's.active = :yes'];
      const r: Record<string, unknown> = { yes: true, today: f.today, limit, offset };
      if (f.skill) {
        where.push('LOWER(s.skill) = :skill');
        r.skill = f.skill.trim().toLowerCase();
      }
      if (f.min_price !== undefined) {
        where.push('s.hourly_rate >= :min_price');
        r.min_price = f.min_price;
      }
      if (f.max_price !== undefined) {
        where.push('s.hourly_rate <= :max_price');
        r.max_price = f.max_price;
      }
      if (f.location_type) {
        where.push('CAST(s.location_types AS TEXT) LIKE :location_type');
        r.location_type = `%"${f.location_type}"%`;
      }
      if (f.area) {
        where.push("p.area_keys LIKE :area ESCAPE '\\'");
        r.area = `%|${likeEscape(normalizeArea(f.area))}|%`;
      }
      if (f.q) {
        where.push(`(LOWER(u.full_name) LIKE :q ESCAPE '\\' OR LOWER(p.bio) LIKE :q ESCAPE '\\' OR p.area_keys LIKE :q ESCAPE '\\'
          OR EXISTS (SELECT 1 FROM services s2 WHERE s2.instructor_id = u.id AND s2.active = :yes AND LOWER(s2.skill) LIKE :q ESCAPE '\\'))`);
        r.q = `%${likeEscape(f.q.trim().toLowerCase())}%`;
      }
      const soonest =
        f.sort === 'soonest'
          ? `, (SELECT MIN(ar.date) FROM availability_ranges ar WHERE ar.instructor_id = u.id AND ar.date >= :today
               AND NOT EXISTS (SELECT 1 FROM blackouts b WHERE b.instructor_id = ar.instructor_id AND b.date = ar.date)) AS soonest`
          : '';
      const sql = `SELECT u.id AS id, u.full_name AS full_name, p.bio AS bio, p.timezone AS timezone,
          p.service_areas AS service_areas, MIN(s.hourly_rate) AS min_rate${soonest}
        FROM users u
        JOIN instructor_profiles p ON p.user_id = u.id
        JOIN services s ON s.instructor_id = u.id
        WHERE ${where.join(' AND ')}
        GROUP BY u.id, p.user_id
        ORDER BY ${ORDER[f.sort]}
        LIMIT :limit OFFSET :offset`;
      const rows = await db.sequelize.query<Record<string, unknown>>(sql, { replacements: r, type: QueryTypes.SELECT });
      return rows.map((row) => ({
        id: row.id as string,
        full_name: row.full_name as string,
        bio: row.bio as string,
        timezone: row.timezone as string,
        service_areas: jsonColumn<string[]>(row.service_areas),
      }));
    },

    /** Active services of several instructors, grouped by instructor. */
    async activeServicesOf(instructorIds: string[]): Promise<Map<string, ServiceRow[]>> {
      const byInstructor = new Map<string, ServiceRow[]>();
      if (instructorIds.length === 0) return byInstructor;
      const rows = await db.models.Service.findAll({ where: { instructor_id: instructorIds, active: true }, order: [['created_at', 'ASC'], ['id', 'ASC']], raw: true });
      for (const row of rows) {
        const s = toService(row as unknown as Record<string, unknown>);
        byInstructor.set(s.instructor_id, [...(byInstructor.get(s.instructor_id) ?? []), s]);
      }
      return byInstructor;
    },
  };
}

export type SearchRepository = ReturnType<typeof searchRepository>;
