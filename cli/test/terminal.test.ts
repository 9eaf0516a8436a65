import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedApi, type Seen } from '../../sdk/test/scripted-api.js';
import { cliRoot } from './helpers.js';

// A real terminal: util-linux `script` runs the binary on a pseudo-terminal, what we write is what a person types.
let home: string;
beforeAll(() => {
  home = mkdtempSync(path.join(tmpdir(), 'instru-tty-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function inTerminal(args: string[], env: Record<string, string>) {
  const command = [process.execPath, path.join(cliRoot, 'bin', 'run.js'), ...args].map((a) => `'${a}'`).join(' ');
  // Not "in CI" (ink then draws only the last frame, and the CLI shows no spinner).
  const { CI: _ci, GITHUB_ACTIONS: _gh, ...rest } = process.env;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...rest, NO_COLOR: '1', XDG_CONFIG_HOME: home, COLUMNS: '100', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.on('data', (c) => (screen += c));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = async (text: string) => {
    for (let i = 0; i < 200 && !screen.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
    if (!screen.includes(text)) throw new Error(`"${text}" never appeared:\n${screen}`);
  };
  return { type: (keys: string) => child.stdin.write(keys), waitFor, done, screen: () => screen };
}

/** Availability of one date, and the DELETE that clears it. */
async function availabilityApi() {
  return scriptedApi((_, req: Seen) => {
    if (req.method === 'GET') return { status: 200, body: { timezone: 'Europe/Berlin', days: [{ date: '2026-07-15', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] } };
    return { status: 200, body: { days: [{ date: '2026-07-15', ranges: [] }], bookings_outside: [] } };
  });
}

describe('in a terminal', () => {
  it('asks before clearing a day: no keeps it, yes clears it', async () => {
    const api = await availabilityApi();
    const env = { INSTRU_API_URL: api.url, INSTRU_TOKEN: 't' };
    const no = inTerminal(['availability', 'clear', '2026-07-15'], env);
    await no.waitFor('Go ahead?');
    expect(no.screen()).toContain('Removes every range of Wed 2026-07-15: 09:00-12:00.');
    no.type('n\r');
    expect(await no.done).toBe(1);
    expect(no.screen()).toContain('Error: Cancelled: nothing changed (cancelled)');
    expect(api.seen.filter((s) => s.method === 'DELETE')).toHaveLength(0);

    const yes = inTerminal(['availability', 'clear', '2026-07-15'], env);
    await yes.waitFor('Go ahead?');
    yes.type('y\r');
    expect(await yes.done).toBe(0);
    expect(yes.screen()).toContain('2026-07-15: not available');
    expect(api.seen.filter((s) => s.method === 'DELETE').map((s) => s.url)).toEqual(['/v1/me/availability/2026-07-15']);
  });

  it('exits 130 quietly on Ctrl+C at a prompt', async () => {
    const api = await availabilityApi();
    const run = inTerminal(['availability', 'clear', '2026-07-15'], { INSTRU_API_URL: api.url, INSTRU_TOKEN: 't' });
    await run.waitFor('Go ahead?');
    run.type('\u0003');
    expect(await run.done).toBe(130);
    expect(run.screen()).not.toMatch(/Error|ExitPromptError|at .+\.js/);
  });

  it('runs the week editor: a pasted chunk saves, Ctrl+C exits 130 quietly', async () => {
    const api = await scriptedApi((_, req: Seen) => {
      if (req.url.startsWith('/v1/bookings')) return { status: 200, body: { data: [], next_cursor: null } };
      if (req.method === 'GET') return { status: 200, body: { timezone: 'Europe/Berlin', days: [] } };
      return { status: 200, body: { days: [], bookings_outside: [] } };
    });
    const run = inTerminal(['availability', 'edit', '--week', '2026-07-13'], { INSTRU_API_URL: api.url, INSTRU_TOKEN: 't' });
    await run.waitFor('Week of 2026-07-13 (Europe/Berlin)');
    run.type('09:00-12:00s');
    await run.waitFor('Saved the week.');
    const saved = api.seen.find((s) => s.method === 'PUT');
    expect(JSON.parse(saved!.body).days[0]).toEqual({ date: '2026-07-13', ranges: [{ start_time: '09:00', end_time: '12:00' }] });
    run.type('\u0003');
    expect(await run.done).toBe(130);
    expect(run.screen()).not.toMatch(/Error|Interrupted|at .+\.js/);
  });

  it('shows a spinner naming the host while an answer takes longer than 300 ms, and erases it', async () => {
    const api = await scriptedApi(() => ({ status: 200, body: { data: [], next_cursor: null }, delayMs: 1200 }));
    const run = inTerminal(['instructors', 'search'], { INSTRU_API_URL: api.url });
    expect(await run.done).toBe(0);
    const host = new URL(api.url).host;
    expect(run.screen()).toContain(`Waiting for ${host}…`);
    expect(run.screen()).toContain('\u001B[2K');
    expect(run.screen().trimEnd().endsWith('No instructors match.')).toBe(true);
  });
});
