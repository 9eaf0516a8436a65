import type { Context } from '../context.js';
import { runLoad, round } from '../lib/load.js';
import { cacheEvents, scrape, total } from '../lib/metrics.js';
import { note } from '../lib/progress.js';
import type { ScenarioResult } from '../lib/report.js';
import { sleep, startApi, startRedis } from '../lib/servers.js';
import { createInstructor, createStudents, dayFromToday, sdk } from '../lib/setup.js';

/** Redis is killed during load and started again: the API keeps answering quickly and recovers. */
export async function redisOutage(ctx: Context): Promise<ScenarioResult> {
  const plan = ctx.quick ? { before: 3, outage: 3, after: 6 } : { before: 5, outage: 10, after: 10 };
  const seconds = plan.before + plan.outage + plan.after;
  const redis = await startRedis();
  const api = await startApi({ name: 'redis-outage', redisUrl: redis.url, rateLimitMultiplier: 100_000 });
  try {
    const instructors = [];
    for (let i = 0; i < 3; i++) instructors.push(await createInstructor(api.url, { name: `Outage ${i}` }));
    const [student] = await createStudents(api.url, 1);
    const from = dayFromToday(1);
    const to = dayFromToday(28);
    const auth = { authorization: `Bearer ${student!.token}` };
    const requests = [
      ...instructors.map((t) => ({ method: 'GET' as const, path: `/v1/instructors/${t.id}/availability?from=${from}&to=${to}&duration_minutes=60` })),
      { method: 'GET' as const, path: '/v1/instructors?limit=10' },
      { method: 'GET' as const, path: `/v1/instructors/${instructors[0]!.id}` },
      { method: 'GET' as const, path: '/v1/me', headers: auth },
      { method: 'GET' as const, path: '/v1/bookings?limit=5', headers: auth },
    ];
    const before = await scrape(api.url);
    // Readiness is polled all along: when did it see Redis go and come back?
    const probe = sdk(api.url);
    const timeline: { t: number; redis: string }[] = [];
    const started = Date.now();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const state = await probe.health.ready().then(
          (r) => String((r as { checks?: Record<string, string> }).checks?.redis ?? 'unknown'),
          (err: unknown) => String(((err as { body?: { checks?: Record<string, string> } }).body?.checks?.redis) ?? 'error'),
        );
        const last = timeline[timeline.length - 1];
        if (!last || last.redis !== state) timeline.push({ t: (Date.now() - started) / 1000, redis: state });
        await sleep(200);
      }
    })();
    note(`load for ${seconds} s on ${requests.length} public and signed-in reads; Redis killed at ${plan.before} s for ${plan.outage} s`);
    const load = runLoad({ url: api.url, connections: 10, duration: seconds, requests, timeout: 2 });
    const killedAt = plan.before;
    await sleep(plan.before * 1000);
    await redis.kill();
    await sleep(plan.outage * 1000);
    // Taken before restart() returns: the API may reconnect (and readyz say ok) before it does.
    const restartedAt = (Date.now() - started) / 1000;
    await redis.restart();
    const result = await load;
    // Recovery: readiness reports Redis ok again (give it up to 15 s after the load ends).
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && timeline[timeline.length - 1]?.redis !== 'ok') await sleep(200);
    polling = false;
    await poller;
    const recovered = timeline.filter((e) => e.t >= restartedAt).find((e) => e.redis === 'ok');
    const sawOutage = timeline.some((e) => e.redis !== 'ok');
    const after = await scrape(api.url);
    const attempts = result.requests + result.errors;
    const share2xx = attempts === 0 ? 0 : result.ok2xx / attempts;
    const cache = { before: cacheEvents(before), after: cacheEvents(after) };
    return {
      id: 7,
      title: 'Redis outage under load',
      checks: [
        { name: '2xx share', value: `${(share2xx * 100).toFixed(2)}% of ${attempts} (${result.errors} errors, ${result.timeouts} timeouts)`, bar: '>= 99% 2xx', status: share2xx >= 0.99 ? 'pass' : 'fail', kind: 'correctness' },
        { name: 'slowest request', value: `${round(result.max, 1)} ms (p99 ${round(result.p99, 1)} ms)`, bar: 'max <= 1000 ms, no timeout', status: result.max <= 1000 && result.timeouts === 0 ? 'pass' : 'fail', kind: 'correctness' },
        {
          name: 'recovery',
          value: recovered && sawOutage ? `readyz redis ok ${round(recovered.t - restartedAt, 2)} s after restart` : sawOutage ? 'readyz never reported redis ok again' : 'readyz never saw the outage',
          bar: 'readyz redis ok again',
          status: recovered && sawOutage ? 'pass' : 'fail',
          kind: 'correctness',
        },
      ],
      figures: {
        plan_seconds: plan,
        load: result,
        redis_killed_at_s: killedAt,
        redis_restarted_at_s: round(restartedAt, 2),
        readyz_timeline: timeline,
        cache_events_delta: { hit: cache.after.hit - cache.before.hit, miss: cache.after.miss - cache.before.miss, redis_error: cache.after.redisError - cache.before.redisError },
        redis_up_after: total(after, 'redis_up'),
      },
      notes: [
        `A throwaway redis-server (--save '' --appendonly no) on a free port; one API process (SQLite) with REDIS_URL pointing at it, RATE_LIMIT_MULTIPLIER=100000 so limits stay out of the way.`,
        `autocannon, 10 connections for ${seconds} s, cycling through public availability of 3 instructors (28 days), search, an instructor's detail, and two signed-in reads (GET /v1/me, GET /v1/bookings) with a student's token. At ${plan.before} s Redis is killed with SIGKILL (a crash); ${plan.outage} s later a new redis-server starts on the same port (empty).`,
        'Passes when >= 99% of the requests (connection errors and timeouts count as failures) answer 2xx, the slowest completed request took <= 1 s with no request timing out (autocannon timeout 2 s), and GET /readyz, polled every 200 ms through the SDK, reports redis "ok" again after the restart.',
      ],
    };
  } finally {
    await api.stop();
    await redis.stop();
  }
}
