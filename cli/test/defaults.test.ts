import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instru } from './helpers.js';

const API = 'http://api.test';
let home: string;
let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  home = mkdtempSync(path.join(tmpdir(), 'instru-defaults-'));
  Object.assign(process.env, { XDG_CONFIG_HOME: home, INSTRU_API_URL: API });
  delete process.env.INSTRU_TIMEOUT;
  delete process.env.INSTRU_TOKEN;
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  process.env = saved;
  rmSync(home, { recursive: true, force: true });
});

describe('defaults', () => {
  it('waits 30 s for an API call without --timeout or INSTRU_TIMEOUT, then fails with timeout', async () => {
    let asked!: () => void;
    const sent = new Promise<void>((resolve) => (asked = resolve));
    // The API accepts the request and never answers, until the call's own deadline aborts it.
    vi.stubGlobal('fetch', (request: Request) =>
      new Promise((_resolve, reject) => {
        asked();
        request.signal.addEventListener('abort', () => reject(request.signal.reason));
      }),
    );
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let done = false;
    const run = instru('instructors', 'search').finally(() => (done = true));
    await sent;
    await vi.advanceTimersByTimeAsync(29_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const r = await run;
    expect(r).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: `Error: No answer from ${API} within 30 s (timeout) Try again, or wait longer with --timeout <seconds> (or INSTRU_TIMEOUT).\n`,
    });
  });
});
