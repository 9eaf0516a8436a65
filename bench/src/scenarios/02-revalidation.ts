import type { Context } from '../context.js';
import { runLoad, round } from '../lib/load.js';
import { cacheEvents, scrape, serviceCalls, total } from '../lib/metrics.js';
import { note } from '../lib/progress.js';
import type { ScenarioResult } from '../lib/report.js';
import { startApi } from '../lib/servers.js';
import { createInstructor, dayFromToday, sdk } from '../lib/setup.js';

// Polls the mail outbox on a timer, whatever the traffic: not caused by requests.
const BACKGROUND_SERVICES = new Set(['outbox', 'jobs']);

/** If-None-Match with the current ETag: 304, no body, and no database work. */
export async function revalidation(ctx: Context): Promise<ScenarioResult> {
  const seconds = ctx.quick ? 3 : 6;
  const api = await startApi({ name: 'revalidation', rateLimitMultiplier: 100_000 });
  try {
    const instructor = await createInstructor(api.url, { firstDay: dayFromToday(0), days: 29 });
    const from = dayFromToday(1);
    const to = dayFromToday(28);
    const path = `/v1/instructors/${instructor.id}/availability?from=${from}&to=${to}&duration_minutes=60`;
    // Read once through the SDK, keeping the ETag header its fetch saw.
    let etag = '';
    const recording = async (request: Request) => {
      const response = await fetch(request);
      etag = response.headers.get('etag') ?? etag;
      return response;
    };
    await sdk(api.url, { fetch: recording }).instructors.availability({ instructor_id: instructor.id, from, to, duration_minutes: 60 });
    if (!etag) throw new Error('public availability answered without an ETag');
    const before = await scrape(api.url);
    let withBody = 0;
    note(`${seconds} s of revalidations with If-None-Match: ${etag}`);
    const result = await runLoad({
      url: api.url,
      connections: 50,
      duration: seconds,
      requests: [
        {
          method: 'GET',
          path,
          // Node's fetch would add `cache-control: no-cache`; revalidating clients send max-age=0 (stack-notes.md).
          headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' },
          onResponse: (_status: number, body: string) => {
            if (body && body.length > 0) withBody++;
          },
        },
      ],
    });
    const after = await scrape(api.url);
    const missDelta = cacheEvents(after).miss - cacheEvents(before).miss;
    const hitDelta = cacheEvents(after).hit - cacheEvents(before).hit;
    const callsBefore = serviceCalls(before);
    const callDeltas: Record<string, number> = {};
    for (const [key, n] of serviceCalls(after)) {
      const delta = n - (callsBefore.get(key) ?? 0);
      if (delta !== 0) callDeltas[key] = delta;
    }
    const requestCalls = Object.entries(callDeltas).filter(([key]) => !BACKGROUND_SERVICES.has(key.split('.')[0] as string)).reduce((n, [, d]) => n + d, 0);
    const availabilityCalls = callDeltas['publicInstructors.availability'] ?? 0;
    const served304 = total(after, 'http_request_duration_seconds_count', { status: '304' }) - total(before, 'http_request_duration_seconds_count', { status: '304' });
    const not304 = Object.entries(result.status).filter(([code]) => code !== '304').reduce((n, [, c]) => n + c, 0) + result.errors;
    return {
      id: 2,
      title: 'ETag revalidation (304)',
      checks: [
        { name: 'answers', value: `${result.status['304'] ?? 0} x 304, ${not304} other, ${withBody} with a body`, bar: 'all 304, no body', status: not304 === 0 && withBody === 0 && result.requests > 0 ? 'pass' : 'fail', kind: 'correctness' },
        {
          name: 'database work during the run',
          value: `${missDelta} cache misses, ${availabilityCalls} availability computations, ${requestCalls} service calls (${hitDelta} hits, ${served304} x 304 in metrics)`,
          bar: '0 queries (0 misses, 0 service calls)',
          status: missDelta === 0 && requestCalls === 0 && served304 >= result.requests ? 'pass' : 'fail',
          kind: 'correctness',
        },
        { name: 'latency', value: `${Math.round(result.rps)} req/s, p50 ${round(result.p50, 2)} ms, p99 ${round(result.p99, 2)} ms`, bar: '(no bar)', status: 'info', kind: 'timing' },
      ],
      figures: { path, etag, load: result, cache_miss_delta: missDelta, cache_hit_delta: hitDelta, service_call_deltas: callDeltas, http_304_in_metrics: served304 },
      notes: [
        'The same cached 28-day availability as scenario 1, read once through the SDK to learn its ETag; then autocannon (50 connections) sends it back in `If-None-Match` with `cache-control: max-age=0`, as revalidating clients do.',
        'Every answer must be 304 with an empty body (autocannon onResponse sees the body).',
        'No database query is asserted from /metrics, scraped before and after the run: every database access of the API happens inside an instrumented service method (repositories are only called by services), so `service_method_duration_seconds_count` summed over all services must not move (the job scheduler and mail outbox are excluded: the scheduler polls on a timer, not per request), and `cache_events_total{event="miss"}` must not move either (a miss is the only way a public read computes, i.e. queries). `http_request_duration_seconds_count{status="304"}` must grow by at least the number of answers, proving the metrics saw the requests.',
      ],
    };
  } finally {
    await api.stop();
  }
}
