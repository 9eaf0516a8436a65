import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from './harness.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'ii-shutdown-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it('finishes in-flight requests on SIGTERM, then exits cleanly', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/db.sqlite`, SEED_DEMO: 'false', LOG_LEVEL: 'info', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  await expect.poll(() => fetch(`${base}/healthz`).then((r) => r.status, () => 0), { timeout: 30_000, interval: 200 }).toBe(200);

  // Registration hashes a password (tens of milliseconds): it is still running when SIGTERM arrives.
  const inFlight = fetch(`${base}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'late@example.com', password: 'a-long-password-1', full_name: 'Late', role: 'student' }),
  });
  await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGTERM');
  const res = await inFlight;
  expect(res.status).toBe(201);
  expect(await exited).toBe(0);
  expect(output).toContain('shut down cleanly');
}, 60_000);
