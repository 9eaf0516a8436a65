import type { InstaInstruClient } from '@instainstru/sdk';
import type { Context } from '../context.js';
import { cacheEvents, scrape, total } from '../lib/metrics.js';
import { progress } from '../lib/progress.js';
import type { ScenarioResult } from '../lib/report.js';
import { startApi } from '../lib/servers.js';
import { addDays, createInstructor, createStudents, dayFromToday, pool, sdk, type Instructor } from '../lib/setup.js';

const INSTRUCTORS = 20;
const STUDENTS = 20;
const OPERATIONS = 4_000;
const WRITE_SHARE = 0.1;
const WORKERS = 8;

type Op = { kind: 'read'; instructor: number } | { kind: 'book'; instructor: number; slot: number; student: number } | { kind: 'edit'; instructor: number; variant: number };

/** A small deterministic PRNG (mulberry32), so every run replays the same sequence of operations. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The operations: 90% reads by Zipf popularity; 10% writes, half bookings (also by popularity), half calendar edits (any instructor). */
function plan(): Op[] {
  const rnd = random(20261125);
  const weights = Array.from({ length: INSTRUCTORS }, (_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const popular = () => {
    let x = rnd() * sum;
    for (let i = 0; i < INSTRUCTORS; i++) if ((x -= weights[i] as number) <= 0) return i;
    return INSTRUCTORS - 1;
  };
  const ops: Op[] = [];
  let slot = 0;
  for (let i = 0; i < OPERATIONS; i++) {
    if (rnd() >= WRITE_SHARE) ops.push({ kind: 'read', instructor: popular() });
    else if (rnd() < 0.5) ops.push({ kind: 'book', instructor: popular(), slot: slot++, student: Math.floor(rnd() * STUDENTS) });
    else ops.push({ kind: 'edit', instructor: Math.floor(rnd() * INSTRUCTORS), variant: i });
  }
  return ops;
}

/** The fewest misses any cache that invalidates an instructor's answers on each write to them could have on this sequence. */
function unavoidableMisses(ops: Op[]): number {
  const stale = new Set<number>();
  let misses = 0;
  for (const op of ops) {
    if (op.kind !== 'read') stale.add(op.instructor);
    else if (stale.delete(op.instructor)) misses++;
  }
  return misses;
}

/** Cache hit rate of public availability under 90% reads and 10% writes that bump versions. */
export async function hitRate(_ctx: Context): Promise<ScenarioResult> {
  // 20 students make all the bookings, so one of them may hold many lessons with a popular instructor.
  const api = await startApi({ name: 'hit-rate', rateLimitMultiplier: 100_000, studentBookingLimit: 100_000 });
  try {
    const setup = progress(`creating ${INSTRUCTORS} instructors`, INSTRUCTORS);
    const instructors: Instructor[] = await pool(INSTRUCTORS, 4, (i) => createInstructor(api.url, { name: `Popular ${i}`, firstDay: dayFromToday(1), days: 28 }), setup.update);
    setup.done();
    const students = await createStudents(api.url, STUDENTS);
    const from = dayFromToday(1);
    const to = dayFromToday(28);
    const reader: InstaInstruClient = sdk(api.url);
    const read = (i: number) => reader.instructors.availability({ instructor_id: (instructors[i] as Instructor).id, from, to, duration_minutes: 60 });
    // Steady state: every instructor's page has been seen once before the measurement starts.
    for (let i = 0; i < INSTRUCTORS; i++) await read(i);
    const ops = plan();
    const beforeSamples = await scrape(api.url);
    const before = cacheEvents(beforeSamples);
    const computedBefore = total(beforeSamples, 'service_method_duration_seconds_count', { service: 'publicInstructors', method: 'availability' });
    const bar = progress(`${OPERATIONS} operations (${WORKERS} clients)`, OPERATIONS);
    const failures: Record<string, number> = {};
    const started = performance.now();
    await pool(
      ops.length,
      WORKERS,
      async (n) => {
        const op = ops[n] as Op;
        const instructor = instructors[op.instructor] as Instructor;
        try {
          if (op.kind === 'read') await read(op.instructor);
          else if (op.kind === 'book') {
            // Globally unique (date, hour) per booking: no instructor or student conflict, all inside 08:00-20:00 on days 2..27.
            const date = addDays(from, 1 + (op.slot % 26));
            const hour = 8 + (Math.floor(op.slot / 26) % 12);
            await (students[op.student] as (typeof students)[number]).client.bookings.create({ instructor_id: instructor.id, service_id: instructor.serviceId, date, start_time: `${String(hour).padStart(2, '0')}:00`, duration_minutes: 60, location_type: 'online' });
          } else {
            // The last day of the window, which bookings never use: the instructor moves the start of the day.
            await instructor.client.availability.setDay({ date: to, ranges: [{ start_time: op.variant % 2 ? '09:00' : '08:00', end_time: '20:00' }] });
          }
        } catch (err) {
          const key = `${op.kind}: ${(err as Error).message.slice(0, 80)}`;
          failures[key] = (failures[key] ?? 0) + 1;
        }
      },
      bar.update,
    );
    bar.done();
    const seconds = (performance.now() - started) / 1000;
    const afterSamples = await scrape(api.url);
    const after = cacheEvents(afterSamples);
    // Every computation of an answer, whether a read's miss or a write's refresh ahead.
    const computed = total(afterSamples, 'service_method_duration_seconds_count', { service: 'publicInstructors', method: 'availability' }) - computedBefore;
    const hits = after.hit - before.hit;
    const misses = after.miss - before.miss;
    const rate = hits + misses === 0 ? 0 : hits / (hits + misses);
    const reads = ops.filter((o) => o.kind === 'read').length;
    const writes = ops.length - reads;
    const floor = unavoidableMisses(ops);
    const best = (reads - floor) / reads;
    const failed = Object.values(failures).reduce((a, b) => a + b, 0);
    return {
      id: 4,
      title: 'Cache hit rate, 90% reads / 10% writes',
      checks: [
        { name: 'hit rate (cache_events_total)', value: `${(rate * 100).toFixed(1)}% (${hits} hits, ${misses} misses)`, bar: '>= 95%', status: rate >= 0.95 ? 'pass' : 'fail', kind: 'timing' },
        { name: 'without refresh ahead', value: `${(best * 100).toFixed(1)}% at best (${floor} reads follow a write to the same instructor)`, bar: '(plain invalidate-on-write bound)', status: 'info', kind: 'timing' },
        { name: 'answers computed', value: `${computed} computations for ${reads} reads and ${writes} writes`, bar: '(cost of refresh ahead, paid by writes)', status: 'info', kind: 'timing' },
        { name: 'operations succeeded', value: `${ops.length - failed} of ${ops.length} (${reads} reads, ${writes} writes) in ${seconds.toFixed(1)} s`, bar: 'all', status: failed === 0 ? 'pass' : 'fail', kind: 'correctness' },
      ],
      figures: { instructors: INSTRUCTORS, students: STUDENTS, operations: ops.length, reads, writes, bookings: ops.filter((o) => o.kind === 'book').length, edits: ops.filter((o) => o.kind === 'edit').length, hits, misses, hit_rate: rate, computations: computed, unavoidable_misses: floor, best_possible_hit_rate: best, failures, seconds },
      notes: [
        `${INSTRUCTORS} published instructors, ${STUDENTS} students, all set up through the SDK; each instructor's 28-day availability (duration 60) is read once before measuring (steady state, not a cold cache).`,
        `${OPERATIONS} operations from a seeded PRNG, run by ${WORKERS} concurrent SDK clients: 90% anonymous reads of public availability, the instructor picked by Zipf popularity (weight 1/rank: a few instructors get most views, as on any marketplace); 10% writes, half bookings (the instructor picked by the same popularity: lessons are booked where people look) and half calendar edits (any instructor, uniformly: teachers edit their calendars whatever their traffic). Every write bumps the instructor's cache version.`,
        'Hit rate = hits / (hits + misses) from the deltas of cache_events_total around the run (in-flight joins of a concurrent miss count as hits, as the API counts them).',
        'What "realistic" means here, and why refresh ahead: with plain versioned invalidation every write makes the next read of that instructor a miss, so at a literal 90/10 mix the hit rate cannot exceed the "without refresh ahead" bound computed for this exact sequence. The API therefore refreshes ahead: a write that bumps an instructor\'s version recomputes that instructor\'s most recently read answers (up to 4) under the new version before it answers, so the reads after it are hits. The computation is not free, it moves to the write path: "answers computed" counts every computation during the run (read misses and refreshes together).',
      ],
    };
  } finally {
    await api.stop();
  }
}
