import type { InstaInstruError } from '@instainstru/sdk';
import type { Context } from '../context.js';
import { round } from '../lib/load.js';
import { note } from '../lib/progress.js';
import type { ScenarioResult } from '../lib/report.js';
import { startCluster } from '../lib/pg-cluster.js';
import { sleep, startApi } from '../lib/servers.js';
import { createInstructor, createStudents, dayFromToday, sdk, type Instructor } from '../lib/setup.js';

interface Sample {
  kind: 'booking' | 'me' | 'public';
  sentAt: number;
  at: number;
  status: number;
  code?: string;
  retryAfter?: number;
}

/** PostgreSQL is stopped under load and started again: 503s with Retry-After, cached reads go on, recovery, nothing doubled. */
export async function databaseRestart(ctx: Context): Promise<ScenarioResult> {
  const plan = ctx.quick ? { before: 2, outage: 3, after: 4 } : { before: 5, outage: 10, after: 10 };
  const cluster = await startCluster();
  const api = await startApi({ name: 'db-restart', databaseUrl: cluster.url, rateLimitMultiplier: 100_000, studentBookingLimit: 100_000 });
  try {
    const instructors: Instructor[] = [];
    for (let i = 0; i < 4; i++) instructors.push(await createInstructor(api.url, { name: `Restart ${i}`, days: 7 }));
    const students = await createStudents(api.url, 8);
    const publicClient = sdk(api.url);
    const from = dayFromToday(1);
    const to = dayFromToday(7);
    await publicClient.instructors.availability({ instructor_id: instructors[0]!.id, from, to, duration_minutes: 60 });

    const samples: Sample[] = [];
    const timed = async (kind: Sample['kind'], call: () => Promise<unknown>) => {
      const sentAt = Date.now();
      try {
        const body = await call();
        samples.push({ kind, sentAt, at: Date.now(), status: 200 });
        return body;
      } catch (err) {
        const e = err as InstaInstruError;
        samples.push({ kind, sentAt, at: Date.now(), status: e.status ?? 0, code: e.code, retryAfter: e.retryAfter });
        return e;
      }
    };
    // Each booking client retries 503s with the same Idempotency-Key; slots never overlap.
    const keys = new Map<string, Set<string>>();
    let stop = false;
    let slot = 0;
    const booker = async (w: number) => {
      while (!stop) {
        const k = slot++;
        // Slot j of instructor k % 4: 24 half hours a day from 08:00, from tomorrow on.
        const j = Math.floor(k / instructors.length);
        const inst = instructors[k % instructors.length]!;
        const student = students[(k % instructors.length) * 2 + (j % 2)]!;
        const date = dayFromToday(1 + Math.floor(j / 24));
        const start = 8 * 60 + 30 * (j % 24);
        const start_time = `${String(Math.floor(start / 60)).padStart(2, '0')}:${String(start % 60).padStart(2, '0')}`;
        const key = `bench-restart-${w}-${k}`;
        keys.set(key, new Set());
        for (;;) {
          const res = await timed('booking', () =>
            student.client.bookings.create({ idempotency_key: key, instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 30, location_type: 'online' }),
          );
          if (res && typeof res === 'object' && 'id' in res && typeof (res as { id: unknown }).id === 'string') keys.get(key)!.add((res as { id: string }).id);
          if ((res as InstaInstruError).status !== 503) break;
          await sleep(100);
        }
      }
    };
    const reader = async (kind: 'me' | 'public') => {
      while (!stop) {
        await timed(kind, () => (kind === 'me' ? students[0]!.client.me.get() : publicClient.instructors.availability({ instructor_id: instructors[0]!.id, from, to, duration_minutes: 60 })));
        await sleep(10);
      }
    };
    note(`bookings (4 clients) and reads for ${plan.before + plan.outage + plan.after} s; PostgreSQL stopped at ${plan.before} s for ${plan.outage} s`);
    const load = Promise.all([0, 1, 2, 3].map(booker).concat([reader('public'), reader('public'), reader('me')]));
    await sleep(plan.before * 1000);
    await cluster.stop();
    const stoppedAt = Date.now();
    await sleep(plan.outage * 1000);
    const restartCalledAt = Date.now();
    await cluster.start();
    const upAt = Date.now();
    await sleep(plan.after * 1000);
    stop = true;
    await load;

    const dbSamples = samples.filter((s) => s.kind !== 'public');
    const down = dbSamples.filter((s) => s.sentAt > stoppedAt && s.at < restartCalledAt);
    const wrongDown = down.filter((s) => s.status !== 503 || s.code !== 'database_unavailable' || s.retryAfter === undefined);
    // While down = sent after the stop completed; requests caught mid-shutdown show in "slowest of all".
    const slowest503 = Math.max(0, ...down.map((s) => s.at - s.sentAt));
    const slowest = Math.max(0, ...samples.map((s) => s.at - s.sentAt));
    const publicReads = samples.filter((s) => s.kind === 'public');
    const publicDown = publicReads.filter((s) => s.sentAt > stoppedAt && s.at < restartCalledAt);
    const publicFailed = publicReads.filter((s) => s.status !== 200);
    const firstOk = dbSamples.find((s) => s.sentAt >= upAt && s.status === 200);
    const recovery = firstOk ? (firstOk.at - upAt) / 1000 : Infinity;
    const unexpected = samples.filter((s) => s.status !== 200 && s.status !== 503);
    const settled = [...keys.values()].filter((ids) => ids.size > 0);
    const doubled = [...keys.values()].filter((ids) => ids.size > 1).length;
    const bookingIds = new Set(settled.map((ids) => [...ids][0]!));
    // Every booking a client saw is in the database, and no other: the instructors' lists, through the SDK.
    const listed = new Set<string>();
    for (const inst of instructors) {
      let cursor: string | undefined;
      do {
        const page = await inst.client.bookings.list({ role: 'instructor', limit: 100, ...(cursor ? { cursor } : {}) });
        for (const b of page.data) listed.add(b.id);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
    }
    const lost = [...bookingIds].filter((id) => !listed.has(id)).length;
    const extra = [...listed].filter((id) => !bookingIds.has(id)).length;
    return {
      id: 9,
      title: 'Database restart under load',
      checks: [
        { name: 'while down', value: `${down.length - wrongDown.length} of ${down.length} database requests 503 database_unavailable with Retry-After`, bar: 'all, and at least one', status: down.length > 0 && wrongDown.length === 0 ? 'pass' : 'fail', kind: 'correctness' },
        { name: 'slowest answer while down', value: `${slowest503} ms (slowest of all: ${slowest} ms)`, bar: '<= 1000 ms', status: slowest503 <= 1000 ? 'pass' : 'fail', kind: 'timing' },
        { name: 'cached public reads', value: `${publicReads.length - publicFailed.length} of ${publicReads.length} 200 (${publicDown.length} while down)`, bar: 'all 200', status: publicFailed.length === 0 && publicDown.length > 0 ? 'pass' : 'fail', kind: 'correctness' },
        { name: 'recovery', value: Number.isFinite(recovery) ? `first database answer ${round(recovery, 2)} s after PostgreSQL was back` : 'never recovered', bar: '<= 2 s, no restart', status: recovery <= 2 ? 'pass' : 'fail', kind: Number.isFinite(recovery) ? 'timing' : 'correctness' },
        { name: 'nothing lost or doubled', value: `${bookingIds.size} bookings: ${lost} lost, ${extra} unknown, ${doubled} keys with two bookings; ${unexpected.length} other errors`, bar: '0, 0, 0, 0', status: lost + extra + doubled + unexpected.length === 0 && bookingIds.size > 0 ? 'pass' : 'fail', kind: 'correctness' },
      ],
      figures: {
        plan_seconds: plan,
        requests: samples.length,
        while_down: down.length,
        slowest_503_ms: slowest503,
        slowest_ms: slowest,
        recovery_s: Number.isFinite(recovery) ? round(recovery, 3) : null,
        bookings: bookingIds.size,
        unexpected: unexpected.slice(0, 5),
        // The slowest answers, placed on the timeline (ms after the stop and after PostgreSQL was back).
        slowest_503s: samples
          .filter((s) => s.status === 503)
          .sort((a, b) => b.at - b.sentAt - (a.at - a.sentAt))
          .slice(0, 3)
          .map((s) => ({ kind: s.kind, ms: s.at - s.sentAt, sent_after_stop_ms: s.sentAt - stoppedAt, sent_after_up_ms: s.sentAt - upAt })),
        slowest_requests: [...samples]
          .sort((a, b) => b.at - b.sentAt - (a.at - a.sentAt))
          .slice(0, 5)
          .map((s) => ({ kind: s.kind, status: s.status, ms: s.at - s.sentAt, sent_after_stop_ms: s.sentAt - stoppedAt, sent_after_up_ms: s.sentAt - upAt })),
      },
      notes: [
        'A throwaway PostgreSQL 15 cluster (initdb + pg_ctl on a free port, never the shared server) and one API process on it (in-process cache, RATE_LIMIT_MULTIPLIER=100000).',
        `4 SDK clients book distinct 30-minute slots with an Idempotency-Key and retry a 503 after 100 ms with the same key; 2 clients read one cached public availability; 1 reads GET /v1/me. At ${plan.before} s PostgreSQL is stopped (pg_ctl -m fast), ${plan.outage} s later started again.`,
        'Passes when every database request sent and answered while it was down is 503 database_unavailable with Retry-After and took <= 1 s (timing), every cached public read answered 200, the first database answer after the restart came within 2 s (timing), and the instructors\' booking lists hold exactly the bookings the clients were given (one per key).',
      ],
    };
  } finally {
    await api.stop();
  }
}
