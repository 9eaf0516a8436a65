import { randomBytes } from 'node:crypto';
import { createClient, type InstaInstruClient } from '@instainstru/sdk';
import { progress } from './progress.js';

export const PASSWORD = 'bench-lessons-2026';
const RUN = randomBytes(3).toString('hex');
let serial = 0;

/** A fresh, unique e-mail address for this run. */
const email = (kind: string) => `${kind}-${RUN}-${++serial}@bench.instainstru.dev`;

/** Today's date (UTC) plus n days, as YYYY-MM-DD. */
export function dayFromToday(n: number): string {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A date plus n days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** An SDK client that does not retry: the bench wants every answer as it came. */
export function sdk(baseUrl: string, opts: { token?: string; fetch?: (request: Request) => Promise<Response> } = {}): InstaInstruClient {
  return createClient({ baseUrl, token: opts.token, retries: 0, fetch: opts.fetch });
}

export interface Instructor {
  id: string;
  serviceId: string;
  client: InstaInstruClient;
}

export interface Student {
  id: string;
  /** The access token (for load generators that send raw requests). */
  token: string;
  client: InstaInstruClient;
}

/**
 * Registers a published instructor (UTC, 1 h notice, no buffer) with one service and availability
 * `open`..`close` on each of `days` dates from `firstDay`.
 */
export async function createInstructor(
  baseUrl: string,
  opts: { name?: string; firstDay?: string; days?: number; open?: string; close?: string; durations?: number[] } = {},
): Promise<Instructor> {
  const client = sdk(baseUrl);
  const { user, access_token } = await client.auth.register({ email: email('instructor'), password: PASSWORD, full_name: opts.name ?? 'Bench Instructor', role: 'instructor', timezone: 'UTC' });
  client.setToken(access_token);
  await client.profile.update({ bio: 'Benchmarks', timezone: 'UTC', min_advance_hours: 1, buffer_minutes: 0, service_areas: ['Bench'], published: true });
  const service = await client.services.create({ skill: 'Piano', hourly_rate: 6000, currency: 'EUR', durations: opts.durations ?? [30, 60, 90], location_types: ['online', 'in_person'] });
  const firstDay = opts.firstDay ?? dayFromToday(1);
  const ranges = [{ start_time: opts.open ?? '08:00', end_time: opts.close ?? '20:00' }];
  const total = opts.days ?? 28;
  for (let start = 0; start < total; start += 366) {
    const count = Math.min(366, total - start);
    await client.availability.saveDays({ days: Array.from({ length: count }, (_, i) => ({ date: addDays(firstDay, start + i), ranges })) });
  }
  return { id: user.id, serviceId: service.id, client };
}

/** Runs `task` for 0..n-1 with at most `concurrency` at a time. */
export async function pool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>, onDone?: (done: number) => void): Promise<T[]> {
  const results: T[] = new Array(n);
  let nextIndex = 0;
  let done = 0;
  const worker = async () => {
    while (nextIndex < n) {
      const i = nextIndex++;
      results[i] = await task(i);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return results;
}

/** Registers n students (each with its own signed-in client), with a progress bar. */
export async function createStudents(baseUrl: string, n: number, fetchFn?: (request: Request) => Promise<Response>): Promise<Student[]> {
  const bar = progress(`registering ${n} students`, n);
  // Password hashing (argon2id) dominates: a few at a time keeps both cores busy without thrashing.
  const students = await pool(
    n,
    6,
    async () => {
      const client = sdk(baseUrl, { fetch: fetchFn });
      const { user, access_token } = await client.auth.register({ email: email('student'), password: PASSWORD, full_name: 'Bench Student', role: 'student', timezone: 'UTC' });
      client.setToken(access_token);
      // Lessons are paid: each student saves the offline processor's succeeding test card.
      await client.paymentMethods.add({ payment_method: 'pm_card_visa' });
      return { id: user.id, token: access_token, client };
    },
    bar.update,
  );
  bar.done();
  return students;
}
