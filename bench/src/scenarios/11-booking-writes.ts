import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import type { Context } from '../context.js';
import { countRows } from '../lib/db-count.js';
import { createDatabase, pgQuery } from '../lib/postgres.js';
import { note } from '../lib/progress.js';
import type { Check, ScenarioResult } from '../lib/report.js';
import { freePort, REPO, sleep, spawnChild, startApi, waitForPort } from '../lib/servers.js';
import { addDays, createInstructor, createStudents, dayFromToday, type Instructor, type Student } from '../lib/setup.js';
import { round } from '../lib/load.js';

const run = promisify(execFile);
const INSTRUCTORS = 40;
const STUDENTS = 100;
const IN_FLIGHT = 50;
/** 30-minute lessons 08:00-19:30 on each day: 24 a day per instructor. */
const SLOTS_PER_DAY = 24;

/** A local SMTP server that accepts every message and counts them, with the time of the last one. */
async function startSmtp(): Promise<{ url: string; received: () => number; lastAt: () => number; stop: () => Promise<void> }> {
  let received = 0;
  let lastAt = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        lastAt = performance.now();
        callback();
      });
    },
  });
  // A client going away (the API stopping with pooled connections open) resets its socket: not a failure here.
  server.on('error', () => undefined);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `smtp://127.0.0.1:${port}?pool=true&maxConnections=20`, received: () => received, lastAt: () => lastAt, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** CPU seconds a process has used so far (user + system, all its threads), from /proc; null where there is none. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th,
    // in clock ticks (USER_HZ, 100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

interface WriteRun {
  requests: number;
  created: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  by_status: Record<string, number>;
}

/**
 * One POST over a keep-alive agent; its status. node:http rather than fetch: against a bare server
 * fetch took the load generator about four times the CPU per request, CPU the servers share.
 */
function post(agent: http.Agent, url: URL, token: string | undefined, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `total` POSTs, `IN_FLIGHT` at a time over as many keep-alive connections; request k is `request(k)`. */
async function postAll(url: string, total: number, request: (k: number) => { token?: string; body: unknown }): Promise<WriteRun> {
  const latencies: number[] = [];
  const byStatus: Record<string, number> = {};
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const target = new URL(url);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const { token, body } = request(next++);
      const t0 = performance.now();
      let status = 'network error';
      try {
        status = String(await post(agent, target, token, JSON.stringify(body)));
      } catch {
        // counted as a network error
      }
      latencies.push(performance.now() - t0);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0, 1);
  const created = byStatus['201'] ?? 0;
  return { requests: total, created, seconds: round(seconds, 2), rps: round(created / seconds, 1), p50: at(0.5), p99: at(0.99), max: round(latencies.at(-1) ?? 0, 1), by_status: byStatus };
}

/** `total` bookings through the API, none of them conflicting (booking k: instructor k mod 40, the next free slot). */
async function bookAll(url: string, instructors: Instructor[], students: Student[], firstDay: string, total: number): Promise<WriteRun> {
  return postAll(`${url}/v1/bookings`, total, (k) => {
    const inst = instructors[k % instructors.length]!;
    const slot = Math.floor(k / instructors.length);
    const minutes = 8 * 60 + (slot % SLOTS_PER_DAY) * 30;
    // Students differ within each group of 40 simultaneous slots, so no student is double-booked.
    const student = students[k % students.length]!;
    return {
      token: student.token,
      body: {
        instructor_id: inst.id,
        service_id: inst.serviceId,
        date: addDays(firstDay, Math.floor(slot / SLOTS_PER_DAY)),
        start_time: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
        duration_minutes: 30,
        location_type: 'online',
      },
    };
  });
}

/** The machine's CPU time so far, busy and in all (seconds, every core), from /proc/stat; null where there is none. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal ... (clock ticks)
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: (total - ticks[3]! - ticks[4]!) / 100, total: total / 100 };
  } catch {
    return null;
  }
}

/** Share of the machine's CPU used between two readings of machineCpu (0-1). */
function machineBusy(from: ReturnType<typeof machineCpu>, to: ReturnType<typeof machineCpu>): number | null {
  return from && to && to.total > from.total ? round((to.busy - from.busy) / (to.total - from.total), 2) : null;
}

/** A fresh database with the reference transaction's schema (bench/data/pgbench-booking.sql's header); its URL. */
async function referenceDatabase(): Promise<string> {
  const url = await createDatabase();
  await pgQuery(url, 'CREATE EXTENSION IF NOT EXISTS btree_gist');
  await pgQuery(
    url,
    `CREATE TABLE bookings(id uuid primary key default gen_random_uuid(), instructor_id int not null, student_id int not null, status text not null, start_at timestamptz not null, end_at timestamptz not null, blocked_until timestamptz not null, note text, created_at timestamptz default now(),
      constraint no_instr exclude using gist (instructor_id with =, tstzrange(start_at, blocked_until) with &&) where (status in ('pending','confirmed')),
      constraint no_stu exclude using gist (student_id with =, tstzrange(start_at, end_at) with &&) where (status in ('pending','confirmed')))`,
  );
  await pgQuery(url, 'CREATE TABLE outbox(id uuid primary key default gen_random_uuid(), recipient text, data jsonb, created_at timestamptz default now())');
  await pgQuery(url, 'CREATE TABLE events(id uuid primary key default gen_random_uuid(), booking_id uuid, type text, data jsonb)');
  return url;
}

/** pgbench with the reference transaction shape (bench/data/pgbench-booking.sql) on a fresh database. */
async function pgbench(seconds: number): Promise<{ tps: number; latency_ms: number } | { error: string }> {
  const url = await referenceDatabase();
  const script = path.join(REPO, 'bench/data/pgbench-booking.sql');
  try {
    const { stdout } = await run('pgbench', ['-n', '-c', '16', '-j', '2', '-T', String(seconds), '-f', script, url], { timeout: (seconds + 30) * 1000 });
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
    const latency = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
    return { tps: round(tps, 0), latency_ms: latency };
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0] ?? 'pgbench failed' };
  }
}

interface FloorRun extends WriteRun {
  machine_busy: number | null;
  server_cores: number | null;
  mails_delivered?: number;
  mail_rate?: number;
}

/**
 * The floor: bench/scripts/floor-server.mjs (node:http and pg, the reference transaction, nothing
 * else) on a fresh database of the same server, loaded like the API (same client, 50 in flight);
 * with `smtp`, two small pre-written mails per booking through pooled nodemailer.
 */
async function floor(dialect: 'sqlite' | 'postgres', total: number, smtp?: Awaited<ReturnType<typeof startSmtp>>): Promise<FloorRun> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ii-floor-'));
  const databaseUrl = dialect === 'postgres' ? await referenceDatabase() : `sqlite:${path.join(dir, 'floor.db')}`;
  const server = spawnChild(process.execPath, [path.join(REPO, 'bench/scripts/floor-server.mjs')], { name: 'floor server', env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), ...(smtp ? { SMTP_URL: smtp.url } : {}) } });
  try {
    await waitForPort(port, 10_000, server.process, 'floor server');
    const mailsBefore = smtp?.received() ?? 0;
    const cpuStart = cpuSeconds(server.process.pid);
    const machineStart = machineCpu();
    const loadStart = performance.now();
    // Booking k: instructor k mod 40 at its next half hour, student k mod 100: no conflicts, as above.
    const base = Date.parse(`${dayFromToday(8)}T08:00:00Z`);
    const result = await postAll(`http://127.0.0.1:${port}/book`, total, (k) => ({ body: { instructor: k % INSTRUCTORS, student: k % STUDENTS, start: base + Math.floor(k / INSTRUCTORS) * 30 * 60_000 } }));
    const cpuEnd = cpuSeconds(server.process.pid);
    const run: FloorRun = { ...result, machine_busy: machineBusy(machineStart, machineCpu()), server_cores: cpuStart !== null && cpuEnd !== null ? round((cpuEnd - cpuStart) / result.seconds, 2) : null };
    if (smtp) {
      const expected = mailsBefore + 2 * result.created;
      const deadline = performance.now() + 60_000;
      while (smtp.received() < expected && performance.now() < deadline) await sleep(100);
      run.mails_delivered = smtp.received() - mailsBefore;
      run.mail_rate = round(run.mails_delivered / Math.max((smtp.lastAt() - loadStart) / 1000, 0.001), 1);
    }
    return run;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Booking writes: 50 in flight, 40 instructors, no conflicts, payments on (the offline processor,
 * every student has a saved card), mail delivered to a local SMTP server; on both databases, and
 * pgbench running the same transaction shape on the same PostgreSQL for the ceiling.
 */
export async function bookingWrites(ctx: Context): Promise<ScenarioResult> {
  const checks: Check[] = [];
  const figures: Record<string, unknown> = {};
  const total = ctx.quick ? 400 : 3000;
  let pgRate = 0;
  let pgbenchTps = 0;
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const label = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    if (dialect === 'postgres' && !ctx.postgres) {
      checks.push({ name: label, value: 'PostgreSQL not reachable', bar: 'every booking created', status: 'not run', kind: 'correctness' });
      continue;
    }
    note(`booking writes on ${dialect}`);
    const smtp = await startSmtp();
    const api = await startApi({ name: `writes-${dialect}`, databaseUrl: dialect === 'postgres' ? await createDatabase() : undefined, rateLimitMultiplier: 100_000, studentBookingLimit: 100_000, smtpUrl: smtp.url });
    try {
      // Lessons 8 days out and later: further than the 6-day hold window, so each booking saves
      // the card (`card_saved`) and the hold is taken by a job before the lesson.
      const firstDay = dayFromToday(8);
      const days = Math.ceil(total / INSTRUCTORS / SLOTS_PER_DAY) + 1;
      const instructors: Instructor[] = [];
      for (let i = 0; i < INSTRUCTORS; i++) instructors.push(await createInstructor(api.url, { firstDay, days, durations: [30] }));
      const students = await createStudents(api.url, STUDENTS);
      // Let the set-up's own mail (welcome mails) drain first: nothing arrives for a second.
      for (let seen = -1; seen !== smtp.received(); ) {
        seen = smtp.received();
        await sleep(1_000);
      }
      const mailsBefore = smtp.received();
      const loadStart = performance.now();
      const cpuStart = cpuSeconds(api.child.process.pid);
      const machineStart = machineCpu();
      const benchStart = process.cpuUsage();
      const result = await bookAll(api.url, instructors, students, firstDay, total);
      const cpuLoad = cpuSeconds(api.child.process.pid);
      const machineLoad = machineBusy(machineStart, machineCpu());
      const benchCpu = process.cpuUsage(benchStart);
      // Mail: 2 per booking (student and instructor), delivered by the job scheduler after commit.
      const expected = mailsBefore + 2 * result.created;
      const deadline = performance.now() + 60_000;
      while (smtp.received() < expected && performance.now() < deadline) await sleep(100);
      const delivered = smtp.received() - mailsBefore;
      const cpuEnd = cpuSeconds(api.child.process.pid);
      // The API's CPU per booking: during the load (requests and what jobs ran meanwhile), and in all
      // until the last mail (everything a booking costs the process). 500/s on one process needs < 2 ms.
      const cpu = cpuStart !== null && cpuLoad !== null && cpuEnd !== null && result.created ? { during_load_ms: round(((cpuLoad - cpuStart) * 1000) / result.created, 2), with_jobs_ms: round(((cpuEnd - cpuStart) * 1000) / result.created, 2), load_cores: round((cpuLoad - cpuStart) / result.seconds, 2), machine_busy: machineLoad, bench_cores: round((benchCpu.user + benchCpu.system) / 1e6 / result.seconds, 2) } : null;
      const mailSeconds = (Math.max(smtp.lastAt(), loadStart) - loadStart) / 1000;
      const mailRate = delivered / Math.max(mailSeconds, 0.001);
      const createRate = (2 * result.created) / result.seconds;
      const rows = await countRows(api.databaseUrl, "SELECT count(*) AS n FROM bookings WHERE status IN ('pending', 'confirmed')", []);
      const errors5xx = Object.entries(result.by_status).filter(([s]) => s.startsWith('5') || s === 'network error').reduce((n, [, c]) => n + c, 0);
      figures[dialect] = { ...result, rows_in_db: rows, mails_expected: 2 * result.created, mails_delivered: delivered, mail_seconds: round(mailSeconds, 2), mail_rate: round(mailRate, 1), mail_create_rate: round(createRate, 1), api_cpu_per_booking: cpu };
      if (dialect === 'postgres') pgRate = result.rps;
      checks.push({
        name: `${label}: every booking created`,
        value: `${result.created} of ${total} (201), ${errors5xx} x 5xx/network, ${rows} rows`,
        bar: `${total} created, 0 x 5xx, ${total} rows`,
        status: result.created === total && errors5xx === 0 && rows === total ? 'pass' : 'fail',
        kind: 'correctness',
      });
      const rateBar = dialect === 'sqlite' ? 300 : 500;
      checks.push({ name: `${label}: bookings/s`, value: `${result.rps}/s (p50 ${result.p50} ms)`, bar: `>= ${rateBar}/s`, status: result.rps >= rateBar ? 'pass' : 'fail', kind: 'timing' });
      checks.push({ name: `${label}: p99 at ${IN_FLIGHT} in flight`, value: `${result.p99} ms (max ${result.max} ms)`, bar: 'p99 <= 250 ms', status: result.p99 <= 250 ? 'pass' : 'fail', kind: 'timing' });
      if (cpu) checks.push({ name: `${label}: API CPU per booking`, value: `${cpu.with_jobs_ms} ms with its jobs and mail (${cpu.during_load_ms} ms during the load, the API using ${cpu.load_cores} cores; machine ${cpu.machine_busy === null ? '?' : Math.round(cpu.machine_busy * 100)}% busy, load generator and SMTP server ${cpu.bench_cores} cores)`, bar: '(500/s on one process: < 2 ms)', status: 'info', kind: 'timing' });
      checks.push({
        name: `${label}: mail keeps up`,
        value: `${delivered} of ${2 * result.created} delivered ${round(mailSeconds, 1)} s after the load started (${round(mailRate, 0)}/s; bookings created ${round(createRate, 0)} mails/s)`,
        bar: 'all delivered, delivery rate >= creation rate',
        status: delivered === 2 * result.created && mailRate >= createRate ? 'pass' : 'fail',
        kind: 'timing',
      });
    } finally {
      await api.stop();
      await smtp.stop();
    }
  }
  if (ctx.postgres) {
    note('pgbench with the same transaction shape');
    const bench = await pgbench(ctx.quick ? 5 : 10);
    figures.pgbench = bench;
    if ('tps' in bench) {
      pgbenchTps = bench.tps;
      const share = bench.tps > 0 ? pgRate / bench.tps : 0;
      checks.push({ name: 'PostgreSQL: share of pgbench', value: `${round(share * 100, 1)}% (${pgRate}/s vs pgbench ${bench.tps} tps, ${bench.latency_ms} ms average)`, bar: '>= 40%', status: share >= 0.4 ? 'pass' : 'fail', kind: 'timing' });
    } else checks.push({ name: 'PostgreSQL: share of pgbench', value: bench.error, bar: '>= 40%', status: 'not run', kind: 'timing' });
  }
  const busy = (r: FloorRun) => (r.machine_busy === null ? '' : `, machine ${Math.round(r.machine_busy * 100)}% busy`);
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (dialect === 'postgres' && !ctx.postgres) continue;
    const label = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    note(`the floor on ${dialect}: node:http running the same transaction, without and with mail`);
    const bare = await floor(dialect, total);
    const smtp = await startSmtp();
    const mailed = await floor(dialect, total, smtp).finally(() => smtp.stop());
    figures[`floor_${dialect}`] = { bare, with_mail: mailed };
    const share = dialect === 'postgres' && pgbenchTps ? `, ${round((bare.rps / pgbenchTps) * 100, 1)}% of pgbench` : '';
    checks.push({ name: `${label} floor: node:http + the same transaction`, value: `${bare.rps}/s (p50 ${bare.p50} ms, p99 ${bare.p99} ms${share}; server ${bare.server_cores} cores${busy(bare)})`, bar: `(the most one Node.js process reaches here; bar ${dialect === 'sqlite' ? 300 : 500}/s)`, status: 'info', kind: 'timing' });
    checks.push({ name: `${label} floor: the same + 2 mails per booking`, value: `${mailed.rps}/s (p99 ${mailed.p99} ms; server ${mailed.server_cores} cores${busy(mailed)}); ${mailed.mails_delivered} of ${2 * mailed.created} mails at ${mailed.mail_rate}/s`, bar: '(nodemailer pooled, pre-written text mails)', status: 'info', kind: 'timing' });
  }
  return {
    id: 11,
    title: 'Booking writes',
    checks,
    figures,
    notes: [
      `${INSTRUCTORS} published instructors (UTC, 30-minute lessons, EUR 60/h), ${STUDENTS} students each with the offline processor's test card pm_card_visa; ${total} POST /v1/bookings, ${IN_FLIGHT} in flight (node:http keep-alive connections from the bench process, on the same 2 cores), no two of them conflicting.`,
      'Lessons start 8 days out and later: further than the 6-day hold window, so each booking saves the card (payment_status card_saved); the hold is a job before the lesson.',
      'Mail goes to a local SMTP server (smtp-server, in the bench process) over pooled connections (SMTP_URL ...?pool=true&maxConnections=20, as many as a job batch sends at once); the booking writes its two mail.send jobs with the facts of the change, and each mail (templates, ICS, MIME) is composed when its job delivers it. The rate compares the 2 mails per booking delivered with the rate bookings created them.',
      'pgbench: -c 16 -j 2 on a fresh database of the same server, running bench/data/pgbench-booking.sql (the booking transaction shape, from ../shared/bench).',
      'The floor: bench/scripts/floor-server.mjs, node:http with no framework, auth or validation, running the same transaction (pg with prepared statements on PostgreSQL, sqlite3 one write at a time on SQLite) under the same load; then the same with two small pre-written mails per booking through pooled nodemailer. What one Node.js process reaches on this machine, beside the API.',
    ],
  };
}
