import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from '../../api/test/harness.js';
import { cliRoot } from './helpers.js';

const execFileAsync = promisify(execFile);
let app: TestApp;
let configHome: string;

beforeAll(async () => {
  app = await startTestApp();
  configHome = mkdtempSync(path.join(tmpdir(), 'instru-e2e-'));
});
afterAll(async () => {
  await app?.close();
  rmSync(configHome, { recursive: true, force: true });
});

/** Runs the built `bin/run.js` as a child process (async: the API answers from this process). */
async function instru(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const env = { ...process.env, XDG_CONFIG_HOME: configHome, INSTRU_API_URL: app.url, INSTRU_TOKEN: '', NO_COLOR: '1' };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(cliRoot, 'bin', 'run.js'), ...args], { env, timeout: 30_000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('the real `instru` binary against the API', () => {
  it('logs in, sets availability, shows it, and lists bookings as JSON', async () => {
    const teacher = await publishedInstructor(app);
    const login = await instru('login', '--email', teacher.email, '--password', 'a-long-password-1');
    expect(login).toMatchObject({ code: 0, stderr: '' });
    expect(login.stdout).toContain(`<${teacher.email}> (instructor)`);

    const set = await instru('availability', 'set', '2026-07-15', '09:00-12:00', '14:00-17:00');
    expect(set.stdout).toBe('2026-07-15: 09:00-12:00 14:00-17:00\n');

    const student = await registerUser(app, 'student', { full_name: 'Sam Student' });
    const booked = await call(app, 'POST', '/v1/bookings', {
      token: student.token,
      body: { instructor_id: teacher.id, service_id: teacher.serviceId, date: '2026-07-15', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
    });
    expect(booked.status).toBe(201);

    const shown = await instru('availability', 'show', '--from', '2026-07-13');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Wed 2026-07-15 {2}09:00-12:00 14:00-17:00 {2}\.{6}={2}#{2}={2}\.{4}={6}\.{10}$/m);
    expect(shown.stdout).toContain('Lessons:\n  Wed 2026-07-15 10:00-11:00 Piano, Sam Student (confirmed)');

    const list = await instru('bookings', 'list', '--json');
    expect(JSON.parse(list.stdout).data).toEqual([expect.objectContaining({ id: booked.body.id, date: '2026-07-15', start_time: '10:00', status: 'confirmed' })]);

    const failed = await instru('bookings', 'cancel', 'not-a-booking');
    expect(failed.code).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toBe('Error: Invalid input: the booking id must match format "uuid" (validation_error) See the command\'s --help for the expected values.\n');
  });

  it('answers --version and --help', async () => {
    expect((await instru('--version')).stdout).toMatch(/^@instainstru\/cli\/0\.1\.0 /);
    const help = await instru('--help');
    expect(help.stdout).toContain('availability');
    expect(help.stdout).toContain('bookings');
  });
});
