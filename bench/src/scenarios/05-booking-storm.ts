import { InstaInstruError } from '@instainstru/sdk';
import type { Context } from '../context.js';
import { countRows } from '../lib/db-count.js';
import { createDatabase } from '../lib/postgres.js';
import { note } from '../lib/progress.js';
import type { Check, ScenarioResult } from '../lib/report.js';
import { startApi } from '../lib/servers.js';
import { createInstructor, createStudents, dayFromToday } from '../lib/setup.js';

const STUDENTS = 200;
// Every pair of these 60-minute lessons overlaps, so at most one of them can be booked.
const START_TIMES = ['10:00', '10:15', '10:30', '10:45'];

/** 200 students book overlapping lessons with one instructor at the same moment. */
export async function bookingStorm(ctx: Context): Promise<ScenarioResult> {
  const checks: Check[] = [];
  const figures: Record<string, unknown> = {};
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (dialect === 'postgres' && !ctx.postgres) {
      checks.push({ name: 'PostgreSQL', value: 'PostgreSQL not reachable', bar: '1 created, 199 x 409, 0 x 5xx', status: 'not run', kind: 'correctness' });
      continue;
    }
    note(`booking storm on ${dialect}`);
    const api = await startApi({ name: `storm-${dialect}`, databaseUrl: dialect === 'postgres' ? await createDatabase() : undefined, rateLimitMultiplier: 1000 });
    try {
      const instructor = await createInstructor(api.url, { firstDay: dayFromToday(3), days: 3 });
      const students = await createStudents(api.url, STUDENTS);
      const date = dayFromToday(4);
      const started = performance.now();
      const outcomes = await Promise.allSettled(
        students.map((s, i) =>
          s.client.bookings.create({ instructor_id: instructor.id, service_id: instructor.serviceId, date, start_time: START_TIMES[i % START_TIMES.length] as string, duration_minutes: 60, location_type: 'online' }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const byStatus: Record<string, number> = {};
      const byCode: Record<string, number> = {};
      for (const o of outcomes) {
        // The SDK reports no answer (connection error, timeout) as status 0.
        const status = o.status === 'fulfilled' ? '201' : o.reason instanceof InstaInstruError && o.reason.status !== 0 ? String(o.reason.status) : 'network error';
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        if (o.status === 'rejected' && o.reason instanceof InstaInstruError) byCode[o.reason.code] = (byCode[o.reason.code] ?? 0) + 1;
      }
      const created = byStatus['201'] ?? 0;
      const conflicts = byStatus['409'] ?? 0;
      const serverErrors = Object.entries(byStatus).filter(([s]) => s.startsWith('5') || s === 'network error').reduce((n, [, c]) => n + c, 0);
      // Through the API (the instructor's own list) and straight in the database.
      const listed = (await instructor.client.bookings.list({ role: 'instructor', limit: 100 })).data.filter((b) => b.status === 'pending' || b.status === 'confirmed').length;
      const activeRows = await countRows(api.databaseUrl, "SELECT count(*) AS n FROM bookings WHERE instructor_id = $1 AND status IN ('pending', 'confirmed')", [instructor.id]);
      const allRows = await countRows(api.databaseUrl, 'SELECT count(*) AS n FROM bookings WHERE instructor_id = $1', [instructor.id]);
      figures[dialect] = { requests: STUDENTS, seconds: Math.round(seconds * 1000) / 1000, by_status: byStatus, by_code: byCode, active_bookings_listed: listed, active_rows_in_db: activeRows, rows_in_db_any_status: allRows };
      const ok = created === 1 && conflicts === STUDENTS - 1 && serverErrors === 0 && activeRows === 1 && allRows === 1 && listed === 1;
      checks.push({
        name: dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL',
        value: `${created} created, ${conflicts} x 409, ${serverErrors} x 5xx/network; ${activeRows} active row (${allRows} in all) in ${seconds.toFixed(2)} s`,
        bar: '1 created, 199 x 409, 0 x 5xx, 1 row in the database',
        status: ok ? 'pass' : 'fail',
        kind: 'correctness',
      });
    } finally {
      await api.stop();
    }
  }
  return {
    id: 5,
    title: 'Booking storm',
    checks,
    figures,
    notes: [
      `${STUDENTS} students (registered through the SDK) each send one POST /v1/bookings at the same moment (Promise.allSettled, SDK with retries off) for a 60-minute lesson with the same instructor on the same date, starting at ${START_TIMES.join(', ')} in turn: every pair overlaps.`,
      'Passes when exactly one answer is 201, the other 199 are 409 (codes in by_code), none is 5xx or a network error, the instructor sees one active booking through the API, and the bookings table holds exactly one row for the instructor (no partial rows from the refused ones).',
      'SQLite: one API process on a file database (writes serialized by its in-process writer queue). PostgreSQL: a fresh database `ii_bench_<random>` (exclusion constraints), dropped at the end.',
    ],
  };
}
