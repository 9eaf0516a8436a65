import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { progress } from './progress.js';

/** Skills, areas, words and names the generated instructors draw from (the bench's queries use them too). */
export const SKILLS = ['Piano', 'Guitar', 'Violin', 'Cello', 'Drums', 'Singing', 'Flute', 'Saxophone', 'Trumpet', 'Bass', 'Ukulele', 'Harp', 'Yoga', 'Pilates', 'Swimming', 'Tennis', 'Golf', 'Chess', 'Boxing', 'Climbing', 'Math', 'Physics', 'Chemistry', 'Biology', 'English', 'German', 'French', 'Spanish', 'Italian', 'Japanese', 'Coding', 'Drawing', 'Painting', 'Photography', 'Cooking', 'Dance', 'Salsa', 'Ballet', 'Acting', 'Writing'];
export const AREAS = Array.from({ length: 60 }, (_, i) => `${['Berlin', 'Hamburg', 'Munich', 'Cologne', 'Vienna', 'Zurich'][i % 6]} ${['Mitte', 'Nord', 'Sued', 'Ost', 'West', 'Altstadt', 'Hafen', 'Park', 'Feld', 'Berg'][Math.floor(i / 6)]}`);
const WORDS = 'patient friendly experienced classical modern jazz rock beginners advanced children adults exam preparation fun relaxed structured creative technique theory practice performance stage studio online lessons weekly intensive holiday summer evening morning weekend certified teacher coach trainer coach musician athlete scientist engineer artist writer native speaker conversation grammar fluency fitness strength breathing balance flexibility mindfulness strategy tactics openings endgames things stories songs pieces repertoire improvisation composition recording mixing production'.split(' ');
const FIRST = 'Ada Ben Cleo Dan Eva Finn Gus Hana Ivo Jana Kai Lena Milo Nora Otto Pia Quin Rosa Sami Tara Uli Vera Wim Xena Yuri Zoe Anna Bruno Carla David Elena Felix Greta Hugo Iris Jonas Karla Lars Maja Nils'.split(' ');
const LAST = 'Keller Wagner Becker Hoffmann Schulz Koch Richter Klein Wolf Neumann Schwarz Zimmermann Braun Krueger Hartmann Lange Werner Krause Lehmann Schmitt Meier Fischer Weber Schneider Mueller Vogel Jung Frank Berger Kaiser Fuchs Peters Scholz Moeller Weiss Haas Graf Roth Beck Lorenz'.split(' ');
const ZONES = ['Europe/Berlin', 'Europe/Berlin', 'Europe/Berlin', 'Europe/Vienna', 'Europe/Zurich', 'Europe/London', 'UTC', 'America/New_York'];
const LOCATIONS = [['in_person', 'online'], ['online'], ['in_person'], ['student_home', 'in_person'], ['online', 'student_home']];
const DURATIONS = [[30, 60], [45, 60, 90], [60], [30, 45, 60]];
const DAY_MS = 86_400_000;

export interface ScalePlan {
  instructors: number;
  /** Availability ranges per instructor (one a day, on every other day from tomorrow). */
  rangesPerInstructor: number;
}

/** A small deterministic PRNG (mulberry32), so every run and both databases get the same data. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const areaKey = (a: string) => a.trim().toLowerCase().replace(/\|/g, ' ');

interface Generated {
  users: unknown[][];
  profiles: unknown[][];
  services: unknown[][];
  ranges: unknown[][];
}

/** Instructors lo..hi-1: 97% published, 1-3 services, `rangesPerInstructor` ranges from tomorrow on. */
function generate(lo: number, hi: number, plan: ScalePlan, now: number): Generated {
  const out: Generated = { users: [], profiles: [], services: [], ranges: [] };
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  let serviceN = lo * 4;
  let rangeN = lo * plan.rangesPerInstructor;
  for (let i = lo; i < hi; i++) {
    const r = rng(i + 1);
    const id = uuid(1, i);
    const zone = pick(r, ZONES);
    const name = `${pick(r, FIRST)} ${pick(r, LAST)}`;
    out.users.push([id, `instructor${i}@bench.example`, 'not-a-login', name, 'instructor', zone]);
    const areas = [...new Set([pick(r, AREAS), ...(r() < 0.4 ? [pick(r, AREAS)] : [])])];
    const bio = Array.from({ length: 8 + Math.floor(r() * 8) }, () => pick(r, WORDS)).join(' ');
    out.profiles.push([id, bio, zone, 2, r() < 0.5 ? 0 : 15, JSON.stringify(areas), `|${areas.map(areaKey).join('|')}|`, r() < 0.97]);
    const count = 1 + Math.floor(r() * 3);
    const skills = new Set<string>();
    while (skills.size < count) skills.add(pick(r, SKILLS));
    for (const skill of skills) {
      out.services.push([uuid(2, serviceN++), id, skill, 2000 + 100 * Math.floor(r() * 101), JSON.stringify(pick(r, DURATIONS)), JSON.stringify(pick(r, LOCATIONS)), r() < 0.95]);
    }
    const firstDay = 1 + (i % 2);
    for (let k = 0; k < plan.rangesPerInstructor; k++) {
      const start = (8 + Math.floor(r() * 8)) * 60;
      out.ranges.push([uuid(3, rangeN++), id, isoDate(today + (firstDay + 2 * k) * DAY_MS), start, start + 120 + 60 * Math.floor(r() * 4)]);
    }
  }
  return out;
}

/** SQLite stores Sequelize DATE values as text `YYYY-MM-DD HH:MM:SS.sss +00:00`. */
const sqliteDate = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} +00:00`;
const BATCH = 5_000;

/** Inserts the instructors into SQLite with prepared statements, 5,000 instructors per transaction. */
export function seedInstructorsSqlite(file: string, plan: ScalePlan): void {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 10000');
  const stamp = sqliteDate(Date.now());
  const users = db.prepare(`INSERT INTO users (id, email, password_hash, full_name, role, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '${stamp}', '${stamp}')`);
  const profiles = db.prepare(`INSERT INTO instructor_profiles (user_id, bio, timezone, min_advance_hours, buffer_minutes, service_areas, area_keys, published, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '${stamp}', '${stamp}')`);
  const services = db.prepare(`INSERT INTO services (id, instructor_id, skill, hourly_rate, currency, durations, location_types, description, active, created_at, updated_at) VALUES (?, ?, ?, ?, 'EUR', ?, ?, '', ?, '${stamp}', '${stamp}')`);
  const ranges = db.prepare('INSERT INTO availability_ranges (id, instructor_id, date, start_minute, end_minute) VALUES (?, ?, ?, ?, ?)');
  const bar = progress(`inserting ${plan.instructors.toLocaleString('en')} instructors into SQLite`, plan.instructors);
  try {
    for (let lo = 0; lo < plan.instructors; lo += BATCH) {
      const g = generate(lo, Math.min(plan.instructors, lo + BATCH), plan, Date.now());
      db.exec('BEGIN');
      for (const row of g.users) users.run(...(row as string[]));
      for (const row of g.profiles) profiles.run(...(row.map((v) => (typeof v === 'boolean' ? Number(v) : v)) as string[]));
      for (const row of g.services) services.run(...(row.map((v) => (typeof v === 'boolean' ? Number(v) : v)) as string[]));
      for (const row of g.ranges) ranges.run(...(row as string[]));
      db.exec('COMMIT');
      bar.update(Math.min(plan.instructors, lo + BATCH));
    }
    bar.done();
  } finally {
    db.close();
  }
}

/** The same instructors into PostgreSQL: one INSERT ... SELECT FROM unnest(arrays) per table and 5,000 instructors. */
export async function seedInstructorsPostgres(url: string, plan: ScalePlan): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const bar = progress(`inserting ${plan.instructors.toLocaleString('en')} instructors into PostgreSQL`, plan.instructors);
  const columns = (rows: unknown[][]) => (rows[0] ?? []).map((_, c) => rows.map((row) => row[c]));
  try {
    for (let lo = 0; lo < plan.instructors; lo += BATCH) {
      const g = generate(lo, Math.min(plan.instructors, lo + BATCH), plan, Date.now());
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO users (id, email, password_hash, full_name, role, timezone, created_at, updated_at)
         SELECT u.*, now(), now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u`,
        columns(g.users),
      );
      await client.query(
        `INSERT INTO instructor_profiles (user_id, bio, timezone, min_advance_hours, buffer_minutes, service_areas, area_keys, published, created_at, updated_at)
         SELECT p.a, p.b, p.c, p.d, p.e, p.f::json, p.g, p.h, now(), now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::boolean[]) AS p(a, b, c, d, e, f, g, h)`,
        columns(g.profiles),
      );
      await client.query(
        `INSERT INTO services (id, instructor_id, skill, hourly_rate, currency, durations, location_types, description, active, created_at, updated_at)
         SELECT s.a, s.b, s.c, s.d, 'EUR', s.e::json, s.f::json, '', s.g, now(), now() FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[], $7::boolean[]) AS s(a, b, c, d, e, f, g)`,
        columns(g.services),
      );
      await client.query(
        `INSERT INTO availability_ranges (id, instructor_id, date, start_minute, end_minute)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::int[], $5::int[])`,
        columns(g.ranges),
      );
      await client.query('COMMIT');
      bar.update(Math.min(plan.instructors, lo + BATCH));
    }
    bar.done();
  } finally {
    await client.end();
  }
}
