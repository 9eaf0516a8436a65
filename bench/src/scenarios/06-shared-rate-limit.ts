import { InstaInstruError } from '@instainstru/sdk';
import type { Context } from '../context.js';
import { createDatabase } from '../lib/postgres.js';
import { note } from '../lib/progress.js';
import type { ScenarioResult } from '../lib/report.js';
import { startApi, startRedis } from '../lib/servers.js';
import { sdk } from '../lib/setup.js';

const MULTIPLIER = 0.1;
// RATE_LIMITS.anonymous in the API: 300 per minute per IP, scaled by RATE_LIMIT_MULTIPLIER.
const LIMIT = Math.max(1, Math.round(300 * MULTIPLIER));
const REQUESTS = 100;
const WAVE = 10;

/** Two API instances share one anonymous budget through Redis: exactly the limit gets through. */
export async function sharedRateLimit(ctx: Context): Promise<ScenarioResult> {
  const bar = `exactly ${LIMIT} admitted, ${REQUESTS - LIMIT} x 429 with Retry-After`;
  if (!ctx.postgres) {
    return { id: 6, title: 'Rate limit across 2 instances sharing Redis', checks: [{ name: 'admitted / refused', value: 'PostgreSQL not reachable', bar, status: 'not run', kind: 'correctness' }], figures: {}, notes: [] };
  }
  const redis = await startRedis();
  const databaseUrl = await createDatabase();
  // One after the other: the first applies the migrations.
  const a = await startApi({ name: 'limit-a', databaseUrl, redisUrl: redis.url, rateLimitMultiplier: MULTIPLIER });
  const b = await startApi({ name: 'limit-b', databaseUrl, redisUrl: redis.url, rateLimitMultiplier: MULTIPLIER });
  note(`${REQUESTS} concurrent anonymous requests alternating between ${a.url} and ${b.url} (limit ${LIMIT}/min)`);
  // The SDK with a fetch that records each answer's Retry-After header (the error object has it from the body too).
  const retryAfterHeaders: (string | null)[] = [];
  const recording = async (request: Request) => {
    const response = await fetch(request);
    if (response.status === 429) retryAfterHeaders.push(response.headers.get('retry-after'));
    return response;
  };
  const clients = [sdk(a.url, { fetch: recording }), sdk(b.url, { fetch: recording })];
  // Public search (cached after the first answer, so most go through the fast lane) and health, both anonymous.
  // Waves of 10 concurrent requests (5 per instance): concurrent enough to race, interleaved enough to share.
  const outcomes: PromiseSettledResult<unknown>[] = [];
  for (let wave = 0; wave < REQUESTS; wave += WAVE) {
    outcomes.push(
      ...(await Promise.allSettled(
        Array.from({ length: WAVE }, (_, j) => {
          const i = wave + j;
          const client = clients[i % 2] as (typeof clients)[number];
          return i % 4 < 2 ? client.instructors.search({ limit: 5 }) : client.health.check();
        }),
      )),
    );
  }
  const perInstance = [
    { admitted: 0, refused: 0 },
    { admitted: 0, refused: 0 },
  ];
  const other: string[] = [];
  outcomes.forEach((o, i) => {
    const counts = perInstance[i % 2] as { admitted: number; refused: number };
    if (o.status === 'fulfilled') counts.admitted++;
    else if (o.reason instanceof InstaInstruError && o.reason.status === 429) counts.refused++;
    else other.push(String(o.reason));
  });
  const admitted = perInstance[0]!.admitted + perInstance[1]!.admitted;
  const refused = perInstance[0]!.refused + perInstance[1]!.refused;
  const withHeader = retryAfterHeaders.filter((h) => h !== null && /^\d+$/.test(h) && Number(h) > 0).length;
  await Promise.all([a.stop(), b.stop()]);
  await redis.stop();
  const ok = admitted === LIMIT && refused === REQUESTS - LIMIT && withHeader === refused && other.length === 0;
  return {
    id: 6,
    title: 'Rate limit across 2 instances sharing Redis',
    checks: [
      {
        name: 'admitted / refused',
        value: `${admitted} admitted (A ${perInstance[0]!.admitted}, B ${perInstance[1]!.admitted}), ${refused} x 429, ${withHeader} with Retry-After, ${other.length} other`,
        bar,
        status: ok ? 'pass' : 'fail',
        kind: 'correctness',
      },
    ],
    figures: { limit_per_minute: LIMIT, requests: REQUESTS, per_instance: perInstance, admitted, refused, retry_after_values: [...new Set(retryAfterHeaders)], other_errors: other.slice(0, 5) },
    notes: [
      `Two API processes on one fresh PostgreSQL database share a throwaway redis-server; RATE_LIMIT_MULTIPLIER=${MULTIPLIER} makes the anonymous limit ${LIMIT} requests per minute per IP.`,
      `${REQUESTS} anonymous requests (public search, cached after the first answer so most take the fast lane, and /healthz) are sent through the SDK (retries off) in waves of ${WAVE} concurrent requests, alternating between the instances, all from 127.0.0.1.`,
      'Passes when exactly the limit is admitted in total, every other answer is 429, and each 429 carries a positive integer Retry-After header (read through a recording fetch given to the SDK).',
      'Readiness of the instances is awaited with a TCP connect, not an HTTP request, so nothing but the measured requests touches the budget.',
    ],
  };
}
