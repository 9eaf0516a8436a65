import type { Context } from '../context.js';
import { runLoad, round, type LoadResult } from '../lib/load.js';
import { note } from '../lib/progress.js';
import type { ScenarioResult } from '../lib/report.js';
import { startApi, startBareServer } from '../lib/servers.js';
import { createInstructor, dayFromToday, sdk } from '../lib/setup.js';

const CONNECTIONS = 100;
const SECONDS = 8;
const ROUNDS = 2;

/** Cached public availability against a bare node:http server with a body of the same size, same run. */
export async function cachedAvailability(_ctx: Context): Promise<ScenarioResult> {
  const api = await startApi({ name: 'cached', rateLimitMultiplier: 100_000 });
  try {
    const instructor = await createInstructor(api.url, { firstDay: dayFromToday(0), days: 29 });
    const from = dayFromToday(1);
    const to = dayFromToday(28);
    const path = `/v1/instructors/${instructor.id}/availability?from=${from}&to=${to}&duration_minutes=60`;
    // The first read computes and caches the answer; its body is what the baseline serves.
    const body = JSON.stringify(await sdk(api.url).instructors.availability({ instructor_id: instructor.id, from, to, duration_minutes: 60 }));
    const bare = await startBareServer(body);
    try {
      note(`warming up both servers (2 s each), then ${ROUNDS} alternating rounds of ${SECONDS} s with ${CONNECTIONS} connections`);
      await runLoad({ url: bare.url, connections: CONNECTIONS, duration: 2 });
      await runLoad({ url: `${api.url}${path}`, connections: CONNECTIONS, duration: 2 });
      const runs: { bare: LoadResult[]; api: LoadResult[] } = { bare: [], api: [] };
      for (let i = 0; i < ROUNDS; i++) {
        runs.bare.push(await runLoad({ url: bare.url, connections: CONNECTIONS, duration: SECONDS }));
        runs.api.push(await runLoad({ url: `${api.url}${path}`, connections: CONNECTIONS, duration: SECONDS }));
      }
      const rps = (rs: LoadResult[]) => rs.reduce((n, r) => n + r.requests, 0) / rs.reduce((n, r) => n + r.seconds, 0);
      const ratio = rps(runs.api) / rps(runs.bare);
      const p99 = Math.max(...runs.api.map((r) => r.p99));
      const p50 = Math.max(...runs.api.map((r) => r.p50));
      const non2xx = runs.api.reduce((n, r) => n + (r.requests - r.ok2xx) + r.errors, 0);
      return {
        id: 1,
        title: 'Cached public availability vs bare node:http',
        checks: [
          { name: 'req/s vs bare node:http', value: `${(ratio * 100).toFixed(1)}% (${Math.round(rps(runs.api))} vs ${Math.round(rps(runs.bare))} req/s)`, bar: '>= 75%', status: ratio >= 0.75 ? 'pass' : 'fail', kind: 'timing' },
          { name: 'p99 latency', value: `${round(p99, 2)} ms (p50 ${round(p50, 2)} ms; bare server p99 ${round(Math.max(...runs.bare.map((r) => r.p99)), 2)} ms)`, bar: 'p99 <= 10 ms', status: p99 <= 10 ? 'pass' : 'fail', kind: 'timing' },
          { name: 'all answers 200', value: `${non2xx} non-2xx or errors`, bar: '0', status: non2xx === 0 ? 'pass' : 'fail', kind: 'correctness' },
        ],
        figures: { path, body_bytes: Buffer.byteLength(body), connections: CONNECTIONS, seconds_per_run: SECONDS, rounds: ROUNDS, ratio: round(ratio, 3), bare: runs.bare, api: runs.api },
        notes: [
          `The API (one process, SQLite, in-process cache, LOG_LEVEL=warn, every protection on; RATE_LIMIT_MULTIPLIER=100000 so a single load-generating IP is not refused) serves GET ${path.replace(instructor.id, '{id}')}: 28 days, an instructor open 08:00-20:00 daily. The first read computed and cached it; the load then takes the fast lane (repeat anonymous cached GET).`,
          `The baseline is a bare node:http server in its own process answering every request with that same ${Buffer.byteLength(body)}-byte JSON body.`,
          `autocannon (in the bench process) with ${CONNECTIONS} connections: 2 s warm-up of each, then ${ROUNDS} rounds alternating bare/API of ${SECONDS} s each. Ratio = API req/s / bare req/s over all rounds; p50 and p99 are the worst round's.`,
          'Load generator and servers share the same 2 cores, so absolute req/s are lower than on separate machines; the ratio is what the bar compares.',
        ],
      };
    } finally {
      await bare.stop();
    }
  } finally {
    await api.stop();
  }
}
