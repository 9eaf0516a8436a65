import type { Context } from '../context.js';
import { explainBookingLookup, pastDays, seedPostgres, seedSqlite } from '../lib/bulk-bookings.js';
import { countRows } from '../lib/db-count.js';
import { runLoad, round } from '../lib/load.js';
import { cacheEvents, scrape } from '../lib/metrics.js';
import { createDatabase } from '../lib/postgres.js';
import { note } from '../lib/progress.js';
import type { Check, ScenarioResult } from '../lib/report.js';
import { startApi } from '../lib/servers.js';
import { addDays, createInstructor, createStudents, dayFromToday } from '../lib/setup.js';

// BENCH_BOOKINGS shrinks the data set while working on the bench itself; the bar is about 1,000,000.
const BOOKINGS = Number(process.env.BENCH_BOOKINGS ?? 1_000_000);
const SECONDS = 10;
const WINDOWS = 300;
/** 31 lesson lengths (30..480 minutes): public availability only answers for durations the instructor offers. */
const DURATIONS = Array.from({ length: 31 }, (_, i) => 30 + 15 * i);

/** Uncached 28-day availability of an instructor with 1,000,000 bookings: every request is a new URL, so a miss. */
export async function uncachedAvailability(ctx: Context): Promise<ScenarioResult> {
  const checks: Check[] = [];
  const figures: Record<string, unknown> = { bookings: BOOKINGS };
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const label = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    if (dialect === 'postgres' && !ctx.postgres) {
      checks.push({ name: `p50, ${label}`, value: 'PostgreSQL not reachable', bar: 'p50 <= 5 ms', status: 'not run', kind: 'timing' });
      continue;
    }
    note(`${label}: setting up an instructor with ${BOOKINGS.toLocaleString('en')} bookings`);
    const api = await startApi({ name: `uncached-${dialect}`, databaseUrl: dialect === 'postgres' ? await createDatabase() : undefined, rateLimitMultiplier: 100_000 });
    try {
      const instructor = await createInstructor(api.url, { firstDay: dayFromToday(1), days: WINDOWS + 30, durations: DURATIONS.slice(0, 10) });
      // A service offers at most 10 durations: three more services cover the rest.
      for (let i = 10; i < DURATIONS.length; i += 10) {
        await instructor.client.services.create({ skill: `Piano ${i / 10 + 1}`, hourly_rate: 6000, currency: 'EUR', durations: DURATIONS.slice(i, i + 10), location_types: ['online'] });
      }
      const students = await createStudents(api.url, 20);
      const plan = { total: BOOKINGS, instructorId: instructor.id, serviceId: instructor.serviceId, studentIds: students.map((s) => s.id) };
      const seedStarted = performance.now();
      if (dialect === 'sqlite') seedSqlite(api.databaseUrl.slice('sqlite:'.length), plan);
      else await seedPostgres(api.databaseUrl, plan);
      const seedSeconds = (performance.now() - seedStarted) / 1000;
      const rows = await countRows(api.databaseUrl, 'SELECT count(*) AS n FROM bookings WHERE instructor_id = $1', [instructor.id]);
      // Every request asks for a URL never asked before: a 28-day window starting on one of 300 days, times a duration.
      let n = 0;
      const nextPath = () => {
        const i = n++;
        const from = dayFromToday(2 + (i % WINDOWS));
        const duration = DURATIONS[Math.floor(i / WINDOWS) % DURATIONS.length] as number;
        return `/v1/instructors/${instructor.id}/availability?from=${from}&to=${addDays(from, 27)}&duration_minutes=${duration}`;
      };
      const probe = nextPath();
      const windowFrom = new Date(`${dayFromToday(2)}T00:00:00Z`);
      const plan28 = await explainBookingLookup(api.databaseUrl, instructor.id, windowFrom, new Date(windowFrom.getTime() + 28 * 86_400_000));
      const inWindow = await countRows(
        api.databaseUrl,
        api.databaseUrl.startsWith('sqlite:')
          ? "SELECT count(*) AS n FROM bookings WHERE instructor_id = $1 AND status IN ('pending','confirmed') AND date >= $2 AND date <= $3"
          : "SELECT count(*) AS n FROM bookings WHERE instructor_id = $1 AND status IN ('pending','confirmed') AND date >= $2::date AND date <= $3::date",
        [instructor.id, dayFromToday(2), dayFromToday(29)],
      );
      // Warm-up (JIT, connections), then the measured run, one connection: the latency of one uncached answer.
      await runLoad({ url: api.url, connections: 1, amount: 20, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }] });
      const before = cacheEvents(await scrape(api.url));
      note(`${label}: ${SECONDS} s of uncached 28-day availability reads (1 connection, every URL new)`);
      const result = await runLoad({ url: api.url, connections: 1, duration: SECONDS, timeout: 10, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: nextPath() }) }] });
      const after = cacheEvents(await scrape(api.url));
      const misses = after.miss - before.miss;
      const hits = after.hit - before.hit;
      figures[dialect] = { rows_for_instructor: rows, active_bookings_in_first_window: inWindow, seed_seconds: round(seedSeconds, 1), first_booking_days_ago: pastDays(BOOKINGS), example_path: probe, query_plan: plan28, load: result, cache_misses: misses, cache_hits: hits };
      const allMissed = hits === 0 && misses >= result.requests;
      checks.push({ name: `p50, ${label}`, value: `${round(result.p50, 2)} ms (p99 ${round(result.p99, 2)} ms, ${result.requests} requests, ${Math.round(result.rps)} req/s)`, bar: 'p50 <= 5 ms', status: result.p50 <= 5 ? 'pass' : 'fail', kind: 'timing' });
      checks.push({
        name: `every request missed, ${label}`,
        value: `${misses} misses, ${hits} hits, ${result.requests - result.ok2xx} non-2xx; ${rows.toLocaleString('en')} rows`,
        bar: 'all misses, all 200',
        status: allMissed && result.ok2xx === result.requests && rows >= BOOKINGS ? 'pass' : 'fail',
        kind: 'correctness',
      });
    } finally {
      await api.stop();
    }
  }
  return {
    id: 3,
    title: 'Uncached availability, 1,000,000 bookings',
    checks,
    figures,
    notes: [
      `One instructor (UTC, open 08:00-20:00 for the next ${WINDOWS + 30} days, set through the SDK) and 20 students (SDK); then ${BOOKINGS.toLocaleString('en')} bookings inserted straight into the database with SQL in batches (SQLite: prepared statements in 20,000-row transactions; PostgreSQL: generate_series, 50,000 rows per statement), followed by ANALYZE.`,
      `Bookings: two 60-minute lessons a day (10:00 and 14:00), none overlapping, from ${pastDays(BOOKINGS).toLocaleString('en')} days ago (year ~${new Date(Date.now() - pastDays(BOOKINGS) * 86_400_000).getUTCFullYear()}) into the future: 90% history (completed), 10% ahead (confirmed). A 28-day window therefore holds ~56 active bookings, a busy but realistic calendar, while the tables hold a million bookings for the instructor (and their two million booking_participants rows, written by the same SQL): the index on booking_participants (person_id, start_at) has to do the work.`,
      `"Cache off" without an API switch: every request asks for a URL never asked before (28-day windows starting on one of ${WINDOWS} days, times 31 durations), so each one misses (checked: cache_events_total hits do not move, misses grow by at least the number of requests). An API switch (e.g. CACHE=off) would make this more direct.`,
      `autocannon with one connection for ${SECONDS} s after a 20-request warm-up: the latency of a single uncached answer, not of a saturated server.`,
      'query_plan shows how the database plans the booking lookup the availability computation runs (same WHERE clause as bookingTimeRepository.heldTimeBetween, over booking_participants).',
    ],
  };
}
