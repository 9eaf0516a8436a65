import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { progress } from './progress.js';

const DAY_MS = 86_400_000;
/** Two lessons a day (10:00 and 14:00 UTC, 60 minutes): history reaches far back, a little future ahead. */
const HOURS = [10, 14];

/** The busy rows of a booking: the instructor's until blocked_until, the student's until the end (as the API writes them). */
const PARTICIPANTS = [
  ['instructor', 'instructor_id', 'blocked_until'],
  ['student', 'student_id', 'end_at'],
] as const;

export interface BulkPlan {
  total: number;
  instructorId: string;
  serviceId: string;
  studentIds: string[];
}

/** How many days before today the first seeded booking lies (the rest run into the future). */
export function pastDays(total: number): number {
  return Math.floor((total / HOURS.length) * 0.9);
}

/** SQLite stores Sequelize DATE values as text `YYYY-MM-DD HH:MM:SS.sss +00:00`. */
function sqliteDate(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')} +00:00`;
}

/**
 * Inserts `total` bookings for one instructor straight into SQLite, in transactions of 20,000 rows,
 * with a progress bar. Past lessons are `completed`, future ones `confirmed`; none overlap.
 */
export function seedSqlite(file: string, plan: BulkPlan): void {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 10000');
  const insert = db.prepare(`INSERT INTO bookings (id, instructor_id, student_id, service_id, status, date, start_time, end_time, timezone,
    start_at, end_at, blocked_until, duration_minutes, location_type, price_amount, currency, payment_status, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'UTC', ?, ?, ?, 60, 'online', 6000, 'EUR', ?, ?, ?)`);
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const first = pastDays(plan.total);
  const now = sqliteDate(Date.now());
  const bar = progress(`inserting ${plan.total.toLocaleString('en')} bookings into SQLite`, plan.total);
  const BATCH = 20_000;
  try {
    for (let start = 0; start < plan.total; start += BATCH) {
      db.exec('BEGIN');
      for (let k = start; k < Math.min(plan.total, start + BATCH); k++) {
        const hour = HOURS[k % HOURS.length] as number;
        const startMs = today + (Math.floor(k / HOURS.length) - first) * DAY_MS + hour * 3_600_000;
        const endMs = startMs + 3_600_000;
        const past = startMs < Date.now();
        insert.run(
          randomUUID(),
          plan.instructorId,
          plan.studentIds[k % plan.studentIds.length] as string,
          plan.serviceId,
          past ? 'completed' : 'confirmed',
          new Date(startMs).toISOString().slice(0, 10),
          `${hour}:00`,
          `${hour + 1}:00`,
          sqliteDate(startMs),
          sqliteDate(endMs),
          sqliteDate(endMs),
          past ? 'captured' : 'authorized',
          now,
          now,
        );
      }
      db.exec('COMMIT');
      bar.update(Math.min(plan.total, start + BATCH));
    }
    bar.done();
    // Each booking's participants hold its time (what availability and conflicts read), as the API writes them.
    for (const [role, person, until] of PARTICIPANTS) {
      db.prepare(`INSERT INTO booking_participants (booking_id, role, person_id, start_at, end_at, busy_until, released_at)
        SELECT id, '${role}', ${person}, start_at, end_at, ${until}, NULL FROM bookings WHERE instructor_id = ?`).run(plan.instructorId);
    }
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

/** The same bookings generated inside PostgreSQL (generate_series), 50,000 rows per statement. */
export async function seedPostgres(url: string, plan: BulkPlan): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const bar = progress(`inserting ${plan.total.toLocaleString('en')} bookings into PostgreSQL`, plan.total);
  const BATCH = 50_000;
  try {
    const first = pastDays(plan.total);
    for (let start = 0; start < plan.total; start += BATCH) {
      const end = Math.min(plan.total, start + BATCH) - 1;
      await client.query(
        `INSERT INTO bookings (id, instructor_id, student_id, service_id, status, date, start_time, end_time, timezone,
           start_at, end_at, blocked_until, duration_minutes, location_type, price_amount, currency, payment_status, created_at, updated_at)
         SELECT gen_random_uuid(), $1, ($2::uuid[])[1 + k % cardinality($2::uuid[])], $3,
           CASE WHEN s.at < now() THEN 'completed' ELSE 'confirmed' END,
           (s.at AT TIME ZONE 'UTC')::date, to_char(s.at AT TIME ZONE 'UTC', 'HH24:MI'), to_char((s.at + interval '1 hour') AT TIME ZONE 'UTC', 'HH24:MI'), 'UTC',
           s.at, s.at + interval '1 hour', s.at + interval '1 hour', 60, 'online', 6000, 'EUR',
           CASE WHEN s.at < now() THEN 'captured' ELSE 'authorized' END, now(), now()
         FROM generate_series($4::int, $5::int) AS k,
           LATERAL (SELECT (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
             + ((k / 2) - $6::int) * interval '1 day' + (CASE k % 2 WHEN 0 THEN 10 ELSE 14 END) * interval '1 hour' AS at) AS s`,
        [plan.instructorId, plan.studentIds, plan.serviceId, start, end, first],
      );
      bar.update(end + 1);
    }
    bar.done();
    for (const [role, person, until] of PARTICIPANTS) {
      await client.query(
        `INSERT INTO booking_participants (booking_id, role, person_id, start_at, end_at, busy_until, released_at)
         SELECT id, '${role}', ${person}, start_at, end_at, ${until}, NULL FROM bookings WHERE instructor_id = $1`,
        [plan.instructorId],
      );
    }
    await client.query('ANALYZE bookings');
    await client.query('ANALYZE booking_participants');
  } finally {
    await client.end();
  }
}

/** How the database plans the availability query's booking lookup (for the report). */
export async function explainBookingLookup(databaseUrl: string, instructorId: string, from: Date, to: Date): Promise<string> {
  // The same WHERE clause as bookingTimeRepository.heldTimeBetween (busy rows of the person, bounded by a day).
  const where = 'person_id = $1 AND released_at IS NULL AND start_at < $2 AND start_at > $3 AND busy_until > $4';
  const dayBefore = new Date(from.getTime() - 86_400_000);
  if (databaseUrl.startsWith('sqlite:')) {
    const db = new DatabaseSync(databaseUrl.slice('sqlite:'.length), { readOnly: true });
    try {
      const sql = `EXPLAIN QUERY PLAN SELECT start_at, busy_until FROM booking_participants WHERE ${where.replace(/\$\d/g, '?')} ORDER BY start_at`;
      const rows = db.prepare(sql).all(instructorId, sqliteDate(to.getTime()), sqliteDate(dayBefore.getTime()), sqliteDate(from.getTime())) as { detail: string }[];
      return rows.map((r) => r.detail).join('; ');
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const res = await client.query<Record<string, string>>(`EXPLAIN (ANALYZE, COSTS OFF) SELECT start_at, busy_until FROM booking_participants WHERE ${where} ORDER BY start_at`, [instructorId, to, dayBefore, from]);
    return res.rows.map((r) => Object.values(r)[0]).join(' | ');
  } finally {
    await client.end();
  }
}
