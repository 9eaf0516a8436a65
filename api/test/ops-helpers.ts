import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { call, type TestApp } from './harness.js';

const API_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the operator commands (src/cli/<name>.ts) as `npm run <name>` would, with only the given environment. */
export function runOperatorCommand(name: 'backup' | 'restore' | 'migrate', args: string[], env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${name}.ts`, ...args], {
      cwd: API_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Booked {
  id: string;
  token: string;
  key: string;
  body: Record<string, unknown>;
  start_at: string;
  /** When the 201 arrived (Date.now()): the booking was committed before this. */
  committedBy: number;
}

/** Concurrent booking workers over distinct free slots, plus an availability editor; stop() ends them. */
export function writeLoad(app: TestApp, slots: { token: string; body: Record<string, unknown> }[], editors: { token: string }[], workers = 4) {
  const booked: Booked[] = [];
  const failures: string[] = [];
  let next = 0;
  let stopping = false;
  let edits = 0;
  const bookWorker = async () => {
    while (!stopping && next < slots.length) {
      const slot = slots[next]!;
      const key = `drill-${next++}`;
      const res = await call(app, 'POST', '/v1/bookings', { token: slot.token, body: slot.body, headers: { 'Idempotency-Key': key } });
      if (res.status === 201) booked.push({ id: res.body.id, token: slot.token, key, body: slot.body, start_at: res.body.start_at, committedBy: Date.now() });
      else failures.push(`${res.status} ${JSON.stringify(res.body)}`);
    }
  };
  const editWorker = async () => {
    while (!stopping) {
      for (const e of editors) {
        const end = edits % 2 ? '12:00' : '13:00';
        const res = await call(app, 'PUT', '/v1/me/availability', { token: e.token, body: { days: [{ date: '2026-07-27', ranges: [{ start_time: '09:00', end_time: end }] }] } });
        if (res.status === 200) edits++;
        else failures.push(`edit ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  };
  const running = Promise.all([...Array.from({ length: workers }, bookWorker), editWorker()]);
  return {
    booked,
    failures,
    edits: () => edits,
    /** Resolves once at least n bookings are committed. */
    async until(n: number) {
      while (booked.length < n && next < slots.length) await new Promise((r) => setTimeout(r, 20));
    },
    async stop() {
      stopping = true;
      await running;
    },
  };
}

const TIMES = Array.from({ length: 24 }, (_, k) => `${String(8 + Math.floor(k / 2)).padStart(2, '0')}:${k % 2 ? '30' : '00'}`);

/**
 * Distinct 30-minute slots between 08:00 and 20:00 on the given dates; students[2i] and
 * students[2i+1] book instructor i on alternating slots, so no two requests conflict.
 */
export function bookableSlots(instructors: { id: string; serviceId: string }[], students: { token: string }[], dates: string[]) {
  return dates.flatMap((date) =>
    TIMES.flatMap((start_time, t) =>
      instructors.map((inst, i) => ({
        token: students[i * 2 + (t % 2)]!.token,
        body: { instructor_id: inst.id, service_id: inst.serviceId, date, start_time, duration_minutes: 30, location_type: 'online' } as Record<string, unknown>,
      })),
    ),
  );
}
