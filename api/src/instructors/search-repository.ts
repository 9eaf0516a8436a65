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
  available_on?: string;
  sort: 'price' | '-price' | 'name' | 'soonest';
  /** The public instant answers are computed as of (publicNow): bookable days are those with bookable_until >= at. */
  at: number;
}

export interface SearchHit {
  id: string;
  full_name: string;
  bio: string;
  timezone: string;
  service_areas: string[];
}

// Every sort ends in (full_name, instructor_id), so pages are stable; each has its index on search_entries.
const ORDER: Record<SearchFilters['sort'], string> = {
  price: 'e.hourly_rate ASC, e.full_name ASC, e.instructor_id ASC',
  '-price': 'e.hourly_rate DESC, e.full_name ASC, e.instructor_id ASC',
  name: 'e.full_name ASC, e.instructor_id ASC',
  soonest: 'e.next_free_date ASC, e.full_name ASC, e.instructor_id ASC',
};

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** An FTS5 phrase: the text in double quotes, its own double quotes doubled (so it is matched literally). */
const phrase = (s: string) => `"${s.replace(/"/g, '""')}"`;
/** The trigram tokenizer indexes 3-character pieces: shorter text cannot use the FTS index. */
const TRIGRAM = 3;

/** Above this many matches a filter is checked during the sort's index walk, below it drives the query (`manyAt` in tests). */
const MANY_MATCHES = 10_000;
/** Bookable instructors of a date: below this many the date drives the query (dates are dense or empty). */
const MANY_FREE = 2_000;
/** Documents sampled to estimate how common a `q` is (PostgreSQL). */
const SAMPLE = 2_000;

/**
 * Published instructors with an active service matching the filters, from the search index
 * (search_entries, one row per active service, kept by search/index-writer.ts). With a filter on
 * services, each instructor's first matching service by (rate, id) stands for it, so the price sorts
 * order by the cheapest matching service; without one, its cheapest service. Text filters go
 * through pg_trgm (PostgreSQL) or FTS5 trigram (SQLite), both substring matches like LIKE '%q%'.
 */
export function searchRepository(db: Db, opts: { manyAt?: number } = {}) {
  const sqlite = db.dialect === 'sqlite';
  const MANY = opts.manyAt ?? MANY_MATCHES;
  const MANY_DAYS = opts.manyAt ?? MANY_FREE;
  return {
    async search(f: SearchFilters, offset: number, limit: number): Promise<SearchHit[]> {
      const r: Record<string, unknown> = { yes: true, limit, offset, at: f.at };
      // A filter matching many instructors is checked while walking the sort's index (the page fills
      // fast); one matching few drives the query: its matches are read first and the entries fetched
      // by id. Statistics cannot tell which (a far date, a rare word), so reading at most MANY matches
      // decides; the "many" forms are written so that no planner turns them into a join reading all
      // matches (SQLite's unary `+`, a per-row scalar subquery on PostgreSQL).
      const matching = (sub: string, limit = MANY) => idsUpTo(sub, r, limit);
      const own: string[] = [];
      const where: string[] = [];
      if (f.skill) {
        r.skill = f.skill.trim().toLowerCase();
        // Every sort has a (skill_lc, sort key) index: the page is a walk of it.
        own.push('skill_lc = :skill');
      }
      if (f.min_price !== undefined) {
        own.push('hourly_rate >= :min_price');
        r.min_price = f.min_price;
      }
      if (f.max_price !== undefined) {
        own.push('hourly_rate <= :max_price');
        r.max_price = f.max_price;
      }
      if (f.location_type) {
        own.push('location_keys LIKE :location_type');
        // An enum value (the contract checks it): no LIKE wildcards to escape.
        r.location_type = `%|${f.location_type}|%`;
      }
      where.push(...own.map((c) => `e.${c}`));
      if (own.length === 0) where.push('e.cheapest = :yes');
      else {
        // One row per instructor: no other matching service of theirs is cheaper (or as cheap with a smaller id).
        where.push(`NOT EXISTS (SELECT 1 FROM search_entries o WHERE o.instructor_id = e.instructor_id AND ${own.map((c) => `o.${c}`).join(' AND ')}
          AND (o.hourly_rate < e.hourly_rate OR (o.hourly_rate = e.hourly_rate AND o.service_id < e.service_id)))`);
      }
      if (f.area) {
        r.area_key = normalizeArea(f.area);
        const docs = 'SELECT doc_id AS id FROM search_areas WHERE area_key = :area_key';
        const few = await matching(docs);
        if (few?.length === 0) return [];
        if (few) where.push(`e.doc_id IN (${few.map(Number).join(', ')})`);
        else where.push(sqlite ? `+e.doc_id IN (${docs})` : '(SELECT 1 FROM search_areas a WHERE a.area_key = :area_key AND a.doc_id = e.doc_id) IS NOT NULL');
      }
      const q = f.q?.trim().toLowerCase();
      if (q) {
        // An area list already drives the query: then q is tested on its candidates only.
        const text = await textFilter(q, r, matching, { driven: Boolean(f.area) && where.some((w) => w.startsWith('e.doc_id IN (')), wanted: offset + limit });
        if (text === null) return [];
        where.push(text);
      }
      if (f.available_on) {
        r.day = f.available_on;
        const few = await matching('SELECT instructor_id AS id FROM instructor_free_days WHERE date = :day AND bookable_until >= :at', MANY_DAYS);
        if (few?.length === 0) return [];
        if (few) {
          r.free_ids = few;
          where.push('e.instructor_id IN (:free_ids)');
        } else where.push('EXISTS (SELECT 1 FROM instructor_free_days fd WHERE fd.instructor_id = e.instructor_id AND fd.date = :day AND fd.bookable_until >= :at)');
      }
      const ids = await db.sequelize.query<{ instructor_id: string }>(
        `SELECT e.instructor_id AS instructor_id FROM search_entries e WHERE ${where.join(' AND ')} ORDER BY ${ORDER[f.sort]} LIMIT :limit OFFSET :offset`,
        { replacements: r, type: QueryTypes.SELECT },
      );
      if (ids.length === 0) return [];
      const rows = await db.sequelize.query<Record<string, unknown>>(
        `SELECT u.id AS id, u.full_name AS full_name, p.bio AS bio, p.timezone AS timezone, p.service_areas AS service_areas
         FROM users u JOIN instructor_profiles p ON p.user_id = u.id WHERE u.id IN (:ids)`,
        { replacements: { ids: ids.map((i) => i.instructor_id) }, type: QueryTypes.SELECT },
      );
      const byId = new Map(rows.map((row) => [row.id as string, row]));
      return ids.flatMap(({ instructor_id }) => {
        const row = byId.get(instructor_id);
        if (!row) return [];
        return [{
          id: row.id as string,
          full_name: row.full_name as string,
          bio: row.bio as string,
          timezone: row.timezone as string,
          service_areas: jsonColumn<string[]>(row.service_areas),
        }];
      });
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
  /** How many rows a subquery yields, counting at most `limit` (an index range scan that stops early). */
  async function idsUpTo(sub: string, r: Record<string, unknown>, limit: number): Promise<(string | number)[] | null> {
    const rows = await db.sequelize.query<{ id: string | number }>(`${sub} LIMIT ${limit + 1}`, { replacements: r, type: QueryTypes.SELECT });
    return rows.length > limit ? null : rows.map((row) => row.id);
  }

  /** The condition that an entry's instructor has `q` in its name, bio, areas or skills (a substring, like LIKE '%q%'); null when nobody has. */
  async function textFilter(
    q: string,
    r: Record<string, unknown>,
    matching: (sub: string) => Promise<(string | number)[] | null>,
    plan: { driven: boolean; wanted: number },
  ): Promise<string | null> {
    const byIds = (ids: (string | number)[]) => (ids.length === 0 ? null : `e.doc_id IN (${ids.map(Number).join(', ')})`);
    if (sqlite) {
      if ([...q].length < TRIGRAM) {
        // Too short for trigrams: a substring test on each candidate's document.
        r.q = q;
        return 'EXISTS (SELECT 1 FROM search_instructors si WHERE si.doc_id = e.doc_id AND (instr(si.name_lc, :q) > 0 OR instr(si.bio_lc, :q) > 0 OR instr(si.area_keys, :q) > 0 OR instr(si.skills_lc, :q) > 0))';
      }
      r.match = phrase(q);
      const fts = 'SELECT rowid AS id FROM search_fts WHERE search_fts MATCH :match';
      const few = await matching(fts);
      // The unary + keeps the doc_id index out: SQLite walks the sort's index with the match list as a filter.
      return few ? byIds(few) : `+e.doc_id IN (${fts})`;
    }
    r.q = `%${likeEscape(q)}%`;
    const match = (t: string) => `(${t}.name_lc LIKE :q ESCAPE '\\' OR ${t}.bio_lc LIKE :q ESCAPE '\\' OR ${t}.area_keys LIKE :q ESCAPE '\\' OR ${t}.skills_lc LIKE :q ESCAPE '\\')`;
    // Per row: a scalar subquery, which PostgreSQL never turns into a join that reads every match.
    const perRow = `(SELECT ${match('si')} FROM search_instructors si WHERE si.doc_id = e.doc_id)`;
    if (plan.driven) return perRow;
    // Reading all matches of a common word through trigrams costs more than walking until the page is
    // full; a sample of 2,000 documents estimates the share that match and picks the cheaper plan.
    const [est] = await db.sequelize.query<{ n: number | string | null; m: number | string }>(
      `SELECT (SELECT MAX(doc_id) FROM search_instructors) AS n,
         (SELECT COUNT(*) FROM (SELECT * FROM search_instructors ORDER BY doc_id LIMIT ${SAMPLE}) si WHERE ${match('si')}) AS m`,
      { replacements: r, type: QueryTypes.SELECT },
    );
    const docs = Math.max(1, Number(est?.n ?? 0));
    const share = Number(est?.m ?? 0) / Math.min(SAMPLE, docs);
    const walk = plan.wanted / Math.max(share, 1 / docs);
    if (walk < share * docs) return perRow;
    const few = await matching(`SELECT doc_id AS id FROM search_instructors si WHERE ${match('si')}`);
    return few ? byIds(few) : perRow;
  }
}

export type SearchRepository = ReturnType<typeof searchRepository>;
