// The bench itself; src/main.ts (the entry) loads it once the Node is the right one.
import { parseArgs } from 'node:util';
import type { Context } from './context.js';
import { cleanupAll } from './lib/cleanup.js';
import { postgresAvailable } from './lib/postgres.js';
import { environment, table, writeReport, type ScenarioResult } from './lib/report.js';
import { cachedAvailability } from './scenarios/01-cached-availability.js';
import { revalidation } from './scenarios/02-revalidation.js';
import { uncachedAvailability } from './scenarios/03-uncached-availability.js';
import { hitRate } from './scenarios/04-hit-rate.js';
import { bookingStorm } from './scenarios/05-booking-storm.js';
import { sharedRateLimit } from './scenarios/06-shared-rate-limit.js';
import { redisOutage } from './scenarios/07-redis-outage.js';
import { cliStartup } from './scenarios/08-cli-startup.js';
import { databaseRestart } from './scenarios/09-database-restart.js';
import { searchAtScale } from './scenarios/10-search-at-scale.js';
import { bookingWrites } from './scenarios/11-booking-writes.js';

const SCENARIOS: Record<number, { title: string; run: (ctx: Context) => Promise<ScenarioResult>; quick: boolean }> = {
  1: { title: 'Cached public availability vs bare node:http', run: cachedAvailability, quick: false },
  2: { title: 'ETag revalidation (304)', run: revalidation, quick: false },
  3: { title: 'Uncached availability, 1,000,000 bookings', run: uncachedAvailability, quick: false },
  4: { title: 'Cache hit rate, 90% reads / 10% writes', run: hitRate, quick: false },
  5: { title: 'Booking storm', run: bookingStorm, quick: true },
  6: { title: 'Rate limit across 2 instances sharing Redis', run: sharedRateLimit, quick: true },
  7: { title: 'Redis outage under load', run: redisOutage, quick: true },
  8: { title: 'CLI start-up (instru --version)', run: cliStartup, quick: false },
  9: { title: 'Database restart under load', run: databaseRestart, quick: true },
  10: { title: 'Search at scale, 100,000 instructors', run: searchAtScale, quick: true },
  11: { title: 'Booking writes', run: bookingWrites, quick: true },
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`Usage: npm run bench [-- --quick] [-- --only 1,5]
  (no flags)  every scenario; writes docs/bench/results.md and results.json
  --quick     the correctness scenarios (5, 6, 7, 9, 10, 11) in short form; exits 1 if a correctness check fails
  --only L    only the scenarios in the comma-separated list L (results files are not written)`);
  process.exit(0);
}

const quick = values.quick;
const only = values.only?.split(',').map(Number);
const ids = Object.keys(SCENARIOS)
  .map(Number)
  .filter((id) => (only ? only.includes(id) : !quick || SCENARIOS[id]?.quick));
// Every run stops by itself: the whole bench is bounded, whatever hangs.
const LIMIT_MS = (quick ? 5 : 50) * 60_000;

let interrupted = false;
async function abort(reason: string, code: number): Promise<never> {
  if (!interrupted) {
    interrupted = true;
    console.error(`\nbench: ${reason}; cleaning up`);
    await cleanupAll();
  }
  process.exit(code);
}
process.once('SIGINT', () => void abort('interrupted', 130));
process.once('SIGTERM', () => void abort('terminated', 143));
const watchdog = setTimeout(() => void abort(`time limit of ${LIMIT_MS / 60_000} minutes reached`, 3), LIMIT_MS);
watchdog.unref();

const env = environment(quick ? 'quick' : only ? `only ${only.join(',')}` : 'full');
const ctx: Context = { quick, postgres: await postgresAvailable() };
if (!ctx.postgres) console.error('bench: PostgreSQL at 127.0.0.1:5432 is not reachable; its variants are reported "not run"');

const results: ScenarioResult[] = [];
try {
  for (const id of ids) {
    const scenario = SCENARIOS[id];
    if (!scenario) continue;
    console.error(`\n== ${id}. ${scenario.title}`);
    const started = performance.now();
    try {
      const result = await scenario.run(ctx);
      result.seconds = Math.round((performance.now() - started) / 100) / 10;
      results.push(result);
    } catch (err) {
      // A scenario that crashes is a failed check, reported like any other.
      const message = (err as Error).stack ?? String(err);
      console.error(message);
      results.push({
        id,
        title: scenario.title,
        checks: [{ name: 'ran to the end', value: (err as Error).message.split('\n')[0] ?? 'error', bar: 'no error', status: 'fail', kind: 'correctness' }],
        figures: { error: message },
        notes: ['The scenario stopped with an error (see figures).'],
      });
    } finally {
      await cleanupAll();
    }
    console.error(`   done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await cleanupAll();
}

console.log(`\n${table(results)}\n`);
if (only) console.error(JSON.stringify(results.map((r) => ({ id: r.id, figures: r.figures })), null, 2));
const checks = results.flatMap((r) => r.checks);
const failedCorrectness = checks.filter((c) => c.status === 'fail' && c.kind === 'correctness');
const failedTimings = checks.filter((c) => c.status === 'fail' && c.kind === 'timing');
if (!quick && !only) {
  const files = writeReport(results, env, [
    'The machine has 2 cores and other work may run at the same time; the load generator (autocannon) runs on the same',
    'cores as the servers. Absolute numbers move from run to run: compare the ratios measured in the same run.',
  ]);
  console.log(`results written to ${files.join(' and ')}`);
}
console.log(`${checks.length} checks: ${checks.filter((c) => c.status === 'pass').length} passed, ${failedCorrectness.length} correctness and ${failedTimings.length} timing failures, ${checks.filter((c) => c.status === 'not run').length} not run`);
clearTimeout(watchdog);
// Correctness decides the exit code; timings are reported, never fatal (shared machines are noisy).
process.exit(failedCorrectness.length > 0 ? 1 : 0);
