import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadUrl, problem, scriptedApi, type Answer, type Seen } from '../../sdk/test/scripted-api.js';
import { cliRoot, runInstru, spawnInstru } from './helpers.js';

const run = promisify(execFile);

let home: string;
beforeAll(() => {
  home = mkdtempSync(path.join(tmpdir(), 'instru-bin-'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const user = { id: 'u1', email: 'tess@example.com', full_name: 'Tess Teacher', role: 'instructor', timezone: 'Europe/Berlin' };
const env = (url: string, extra: Record<string, string> = {}) => ({ XDG_CONFIG_HOME: home, INSTRU_API_URL: url, ...extra });

describe('the binary: timeouts, signals, pipes', () => {
  it('gives up on a server that accepts and never answers after --timeout, naming the URL it used', async () => {
    const api = await scriptedApi(() => 'hang');
    const started = Date.now();
    const r = await runInstru(['instructors', 'search', '--timeout', '1'], env(api.url));
    expect(Date.now() - started).toBeLessThan(8000);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Error: No answer from ${api.url} within 1 s (timeout) Try again, or wait longer with --timeout <seconds> (or INSTRU_TIMEOUT).\n`);
  });

  it('reads the timeout from INSTRU_TIMEOUT and rejects a bad one as a usage error', async () => {
    const api = await scriptedApi(() => 'hang');
    const r = await runInstru(['instructors', 'search', '--json'], env(api.url, { INSTRU_TIMEOUT: '0.5' }));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'timeout' } });
    const bad = await runInstru(['instructors', 'search', '--json'], env(api.url, { INSTRU_TIMEOUT: 'soon' }));
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'usage_error' } });
    expect(bad.stderr).toMatch(/^Error: --timeout: "soon" is not a number of seconds .*\(usage_error\)/);
  });

  it('says which URL it could not reach', async () => {
    const url = await deadUrl();
    const r = await runInstru(['instructors', 'search'], env(url));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: Cannot reach ${url} (ECONNREFUSED) (connection_error) Check the API URL (\`instru config get api-url\`, INSTRU_API_URL) and that the API is running (\`npm start\`).\n`);
  });

  it('exits 130 without a word on Ctrl+C while waiting for the API', async () => {
    let arrived!: () => void;
    const waiting = new Promise<void>((r) => (arrived = r));
    const api = await scriptedApi(() => (arrived(), 'hang'));
    const run = spawnInstru(['instructors', 'search'], env(api.url));
    await waiting;
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });

  it('exits 0 quietly when the reader of its output goes away (| head)', async () => {
    const run = spawnInstru(['--help'], {});
    run.child.stdout!.destroy();
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('never shows a spinner when stderr is not a terminal, even for a slow answer', async () => {
    const api = await scriptedApi(() => ({ status: 200, body: { data: [], next_cursor: null }, delayMs: 700 }));
    const r = await runInstru(['instructors', 'search', '--output', 'table'], env(api.url));
    expect(r).toMatchObject({ code: 0, stdout: 'No instructors match.\n', stderr: '' });
    // Piped, an empty list is empty output (no stray line for a script to read).
    expect(await runInstru(['instructors', 'search'], env(api.url))).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});

describe('the binary: input that used to crash', () => {
  it('rejects an impossible date in arguments and flags with one line and exit 2', async () => {
    const api = await scriptedApi(() => problem(500, 'internal_error'));
    const arg = await runInstru(['availability', 'set', '2026-13-01', '09:00-10:00'], env(api.url, { INSTRU_TOKEN: 't' }));
    expect(arg).toMatchObject({ code: 2, stderr: 'Error: "2026-13-01" is not a date like 2026-07-15 (invalid_input) Write it as YYYY-MM-DD, e.g. `instru availability set 2026-07-15 09:00-12:00`.\n' });
    const cleared = await runInstru(['availability', 'clear', '2026-02-30', '--yes'], env(api.url, { INSTRU_TOKEN: 't' }));
    expect(cleared).toMatchObject({ code: 2, stderr: 'Error: "2026-02-30" is not a date like 2026-07-15 (invalid_input) Write it as YYYY-MM-DD, e.g. `instru availability clear 2026-07-15`.\n' });
    const flag = await runInstru(['availability', 'show', '--from', '2026-02-30', '--json'], env(api.url, { INSTRU_TOKEN: 't' }));
    expect(flag.code).toBe(2);
    expect(JSON.parse(flag.stdout).error).toMatchObject({ code: 'usage_error' });
    expect(api.seen).toHaveLength(0);
  });

  it('rejects an --api-url without a scheme and suggests one', async () => {
    const r = await runInstru(['login', '--api-url', 'localhost:8000', '--email', 'a@example.com', '--password', 'x'], env('http://127.0.0.1:9'));
    expect(r).toMatchObject({
      code: 2,
      stderr: 'Error: --api-url "localhost:8000" is not an http(s) URL (did you mean http://localhost:8000?) (invalid_input) Use e.g. --api-url http://127.0.0.1:8000.\n',
    });
  });

  it('explains a server that answers a web page at login', async () => {
    const api = await scriptedApi(() => ({ status: 200, raw: '<!doctype html><title>Welcome</title>' }));
    const r = await runInstru(['login', '--email', 'a@example.com', '--password', 'x'], env(api.url));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error: ${api.url} answered text/html, not JSON: is this the InstaInstru API? (unexpected_response) Check the API URL: \`instru config get api-url\` (or --api-url at login, INSTRU_API_URL).\n`,
    );
  });

  it("gives oclif's own flag errors a code with --json", async () => {
    const r = await runInstru(['bookings', 'list', '--status', 'bogus', '--json'], env('http://127.0.0.1:9', { INSTRU_TOKEN: 't' }));
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'usage_error' } });
    const missing = await runInstru(['bookings', 'show', '--json'], env('http://127.0.0.1:9', { INSTRU_TOKEN: 't' }));
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'usage_error' } });
  });
});

describe('the binary: one exit code per class of mistake', () => {
  const book = ['book', '--instructor', 'i1', '--service', 's1', '--duration', '60', '--location', 'online', '--date', '2026-07-15', '--time', '10:00'];
  const none = () => problem(500, 'internal_error');
  const cases: { what: string; argv: string[]; answer: () => Answer; exit: number; code: string }[] = [
    { what: "the CLI's own check of a value", argv: ['services', 'add', '--skill', 'Piano', '--rate', '62.505', '--durations', '60', '--locations', 'online'], answer: none, exit: 2, code: 'invalid_input' },
    { what: 'a missing confirmation', argv: ['keys', 'revoke', 'k1'], answer: () => ({ status: 200, body: { data: [{ id: 'k1', name: 'site', type: 'publishable', prefix: 'pk_live_ab' }], next_cursor: null } }), exit: 2, code: 'confirmation_required' },
    { what: 'no terminal for the week editor', argv: ['availability', 'edit', '--week', '2026-07-06'], answer: none, exit: 2, code: 'not_a_tty' },
    { what: 'the API: 400 validation_error', argv: ['profile', 'set', '--bio', 'x'], answer: () => ({ status: 400, body: { title: 'Request is invalid', status: 400, code: 'validation_error', errors: [{ path: 'bio', message: 'is too short' }] } }), exit: 2, code: 'validation_error' },
    { what: 'the API: 422 invalid_webhook_url', argv: ['webhooks', 'add', '--url', 'https://10.1.2.3/x', '--all-events'], answer: () => problem(422, 'invalid_webhook_url', 'The webhook URL points at a private address.'), exit: 2, code: 'invalid_webhook_url' },
    { what: 'the API: 409 instructor_conflict', argv: book, answer: () => problem(409, 'instructor_conflict', 'The instructor is busy then.'), exit: 1, code: 'instructor_conflict' },
    { what: 'the API: 404 not_found', argv: ['bookings', 'show', '0b6f3c7e-2d1a-4f8e-9c3b-5a7d9e1f2a40'], answer: () => problem(404, 'not_found', 'No such booking.'), exit: 1, code: 'not_found' },
    { what: 'the API: 429 rate_limited', argv: ['instructors', 'search'], answer: () => ({ ...problem(429, 'rate_limited'), headers: { 'retry-after': '120' } }), exit: 1, code: 'rate_limited' },
    { what: 'the API: 401 token_expired', argv: ['whoami'], answer: () => problem(401, 'token_expired', 'The access token has expired.'), exit: 4, code: 'token_expired' },
  ];

  it.each(cases)('$what: exit $exit ($code), in one line and in --json', async ({ argv, answer, exit, code }) => {
    const api = await scriptedApi(answer);
    const r = await runInstru([...argv, '--json'], env(api.url, { INSTRU_TOKEN: 't' }));
    expect({ exit: r.code, json: JSON.parse(r.stdout).error.code, line: r.stderr }).toEqual({ exit, json: code, line: expect.stringMatching(new RegExp(`^Error: .+ \\(${code}\\)( .+)?\n$`)) });
  });

  it('says when to retry after a rate limit, once (the Retry-After the API sent)', async () => {
    const api = await scriptedApi(() => ({ ...problem(429, 'rate_limited', 'Too many requests from this address.'), headers: { 'retry-after': '120' } }));
    const r = await runInstru(['instructors', 'search'], env(api.url));
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'Error: Too many requests (rate_limited) Try again in 120 s.\n' });
    // A wait longer than the SDK's longest retry wait (10 s) is not retried: one request, one message.
    expect(api.seen).toHaveLength(1);
  });

  it("keeps the API's routes (GET /v1/...) out of its messages", async () => {
    const answers: Record<string, Answer> = {
      '/v1/bookings/0b6f3c7e-2d1a-4f8e-9c3b-5a7d9e1f2a40': problem(404, 'not_found', 'No such booking. List yours with GET /v1/bookings.'),
      '/v1/bookings': problem(422, 'payment_method_required', 'This lesson is paid: save a card first (POST /v1/me/payment-methods), then book again.'),
      '/v1/me': { status: 403, body: { title: 'Not allowed', status: 403, code: 'forbidden', detail: 'See GET /v1/me/api-keys.' } },
    };
    const api = await scriptedApi((_, req) => answers[req.url] ?? problem(500, 'internal_error'));
    const e = env(api.url, { INSTRU_TOKEN: 't' });
    const shown = await runInstru(['bookings', 'show', '0b6f3c7e-2d1a-4f8e-9c3b-5a7d9e1f2a40'], e);
    expect(shown).toMatchObject({ code: 1, stderr: 'Error: No such booking (not_found) Check the id (`instru bookings list`, `instru services list`, `instru keys list`).\n' });
    const booked = await runInstru(book, e);
    expect(booked).toMatchObject({ code: 2, stderr: 'Error: This lesson is paid: save a card first, then book again (payment_method_required) Save a card with `instru payments methods --add <payment method id>`, then book again.\n' });
    // Nothing left of the detail: the problem's title instead.
    const who = await runInstru(['whoami'], e);
    expect(who).toMatchObject({ code: 1, stderr: 'Error: Not allowed (forbidden) This needs another role (instructor or student) or the owner of the resource.\n' });
  });
});

describe('the binary: sessions and profiles', () => {
  /** A stand-in auth API (the real one gains refresh tokens in parallel): access-N works until expire(), refresh-N once. */
  async function sessionApi() {
    const state = { generation: 1, expired: false };
    const tokens = () => ({ access_token: `access-${state.generation}`, token_type: 'Bearer', expires_in: 900, refresh_token: `refresh-${state.generation}`, refresh_expires_in: 2_592_000, user });
    const api = await scriptedApi((_, req: Seen) => {
      if (req.url === '/v1/auth/login') return { status: 200, body: tokens() };
      if (req.url === '/v1/auth/refresh') {
        if (JSON.parse(req.body).refresh_token !== `refresh-${state.generation}`) return problem(401, 'invalid_refresh_token');
        state.generation++;
        state.expired = false;
        return { status: 200, body: tokens() };
      }
      if (req.url === '/v1/auth/logout') return { status: 204 };
      if (req.url === '/v1/me') return !state.expired && req.headers.authorization === `Bearer access-${state.generation}` ? { status: 200, body: user } : problem(401, 'token_expired');
      return problem(404, 'not_found');
    });
    return { ...api, expire: () => (state.expired = true), calls: (url: string) => api.seen.filter((s) => s.url === url).map((s) => s.body && JSON.parse(s.body)) };
  }

  it('keeps logins per profile, renews an expired access token silently and stores the rotated pair; logout ends the session at the API', async () => {
    const api = await sessionApi();
    const profileHome = mkdtempSync(path.join(tmpdir(), 'instru-profile-'));
    const e = { XDG_CONFIG_HOME: profileHome, INSTRU_API_URL: api.url };
    const file = path.join(profileHome, 'instainstru', 'config.json');
    const stored = () => JSON.parse(readFileSync(file, 'utf8')).profiles;
    try {
      const login = await runInstru(['login', '--profile', 'teacher', '--email', 'tess@example.com', '--password', 'pw'], e);
      expect(login).toMatchObject({ code: 0, stderr: '' });
      expect(login.stdout).toBe(`Logged in to ${api.url} as Tess Teacher <tess@example.com> (instructor) (profile teacher).\n`);
      expect(stored().teacher).toMatchObject({ token: 'access-1', refreshToken: 'refresh-1', email: 'tess@example.com' });
      expect(stored().default).toBeUndefined();

      const other = await runInstru(['whoami'], e);
      expect(other).toMatchObject({ code: 4, stderr: 'Error: You are not logged in (not_logged_in) Run `instru login` (or set INSTRU_TOKEN).\n' });

      api.expire();
      const who = await runInstru(['whoami', '--json'], { ...e, INSTRU_PROFILE: 'teacher' });
      expect(who).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(who.stdout)).toMatchObject({ user: { email: 'tess@example.com' } });
      expect(api.calls('/v1/auth/refresh')).toEqual([{ refresh_token: 'refresh-1' }]);
      expect(stored().teacher).toMatchObject({ token: 'access-2', refreshToken: 'refresh-2' });

      const logout = await runInstru(['logout', '--profile', 'teacher'], e);
      expect(logout).toMatchObject({ code: 0, stdout: 'Logged out.\n', stderr: '' });
      expect(api.calls('/v1/auth/logout')).toEqual([{ refresh_token: 'refresh-2' }]);
      expect(stored().teacher).toEqual({});
    } finally {
      rmSync(profileHome, { recursive: true, force: true });
    }
  });

  it('reads a token or API key from stdin with --with-token, and rejects a bad profile name', async () => {
    const api = await scriptedApi((_, req) => (req.headers.authorization === 'Bearer ii_live_secret' ? { status: 200, body: user } : problem(401, 'unauthenticated')));
    const keyHome = mkdtempSync(path.join(tmpdir(), 'instru-key-'));
    try {
      const r = await runInstru(['login', '--with-token'], { XDG_CONFIG_HOME: keyHome, INSTRU_API_URL: api.url }, 'ii_live_secret\n');
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(readFileSync(path.join(keyHome, 'instainstru', 'config.json'), 'utf8')).profiles.default).toMatchObject({ apiKey: 'ii_live_secret' });
      const path_ = await runInstru(['config', 'path'], { XDG_CONFIG_HOME: keyHome });
      expect(path_.stdout).toBe(`${path.join(keyHome, 'instainstru', 'config.json')}\n`);
      const moved = await runInstru(['config', 'path'], { INSTRU_CONFIG_DIR: path.join(keyHome, 'elsewhere') });
      expect(moved.stdout).toBe(`${path.join(keyHome, 'elsewhere', 'config.json')}\n`);
      const empty = await runInstru(['login', '--with-token'], { XDG_CONFIG_HOME: keyHome, INSTRU_API_URL: api.url }, '');
      expect(empty).toMatchObject({ code: 2, stderr: 'Error: stdin was empty (missing_input) Pass a token or API key into --with-token.\n'.replace('Pass', 'Pipe') });
      const bad = await runInstru(['whoami', '--profile', '../x'], { XDG_CONFIG_HOME: keyHome });
      expect(bad).toMatchObject({ code: 2, stderr: 'Error: "../x" is not a profile name (invalid_input) Use letters, digits, - and _ (e.g. --profile student).\n' });
    } finally {
      rmSync(keyHome, { recursive: true, force: true });
    }
  });
});

describe('the binary: the update check', () => {
  it('never warns about a newer version unless INSTRU_UPDATE_CHECK is set', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'instru-cache-'));
    try {
      // What the plugin's background check last read from the registry (fresh, so it asks the registry nothing now).
      mkdirSync(path.join(cache, 'instainstru'));
      writeFileSync(path.join(cache, 'instainstru', 'version'), JSON.stringify({ current: '0.1.0', latest: '99.0.0' }));
      const e = { XDG_CACHE_HOME: cache, XDG_CONFIG_HOME: home, INSTRU_SKIP_NEW_VERSION_CHECK: undefined, INSTRU_UPDATE_CHECK: undefined };
      expect(await runInstru(['config', 'path'], e)).toMatchObject({ code: 0, stderr: '' });
      const on = await runInstru(['config', 'path'], { ...e, INSTRU_UPDATE_CHECK: '1' });
      expect(on.code).toBe(0);
      expect(on.stderr).toMatch(/Warning: .*99\.0\.0 is out \(you have 0\.1\.0\)\./);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('the binary: help, not found, completion', () => {
  it('answers help <cmd>, -h and --help alike', async () => {
    const [help, short] = await Promise.all([runInstru(['help', 'keys', 'revoke']), runInstru(['keys', 'revoke', '-h'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('USAGE\n  $ instru keys revoke ID [--json] [--profile NAME] [--timeout SECONDS]\n    [--dry-run | -y]');
    expect(short.stdout).toBe(help.stdout);
  });

  it('suggests the closest command in one line with a code (exit 2) when not in a terminal', async () => {
    const r = await runInstru(['bookings', 'lst']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'Error: "bookings lst" is not an instru command (command_not_found) Did you mean `instru bookings list`? See `instru help`.\n' });
  });

  it('prints shell completion set-up for bash and zsh', async () => {
    const e = { XDG_CACHE_HOME: home, XDG_DATA_HOME: home };
    const [bash, zsh] = await Promise.all([runInstru(['autocomplete', 'bash'], e), runInstru(['autocomplete', 'zsh'], e)]);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('printf "$(instru autocomplete script bash)" >> ~/.bashrc');
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain('printf "$(instru autocomplete script zsh)" >> ~/.zshrc');
  });

  it('completes commands, subcommands and flags in a real zsh, from the line `instru autocomplete script zsh` puts in ~/.zshrc', async () => {
    const e = { XDG_CACHE_HOME: home, XDG_DATA_HOME: home };
    expect((await runInstru(['autocomplete', 'zsh'], e)).code).toBe(0);
    const rc = await runInstru(['autocomplete', 'script', 'zsh'], e);
    expect(rc.code).toBe(0);
    expect(rc.stdout).toContain(`INSTRU_AC_ZSH_SETUP_PATH=${path.join(home, 'instainstru', 'autocomplete', 'zsh_setup')} && `);
    const complete = async (line: string) =>
      (await run('zsh', ['-f', path.join(cliRoot, 'test', 'zsh-complete.zsh'), rc.stdout.trim(), line], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ZDOTDIR: home, HOME: home } })).stdout
        .split('\n')
        .filter(Boolean);
    const lines = ['instru avail', 'instru availability ', 'instru bookings list --out', 'instru bookings list --output ', 'instru keys revoke --'];
    const [command, subcommands, flag, values, flags] = await Promise.all(lines.map(complete));
    expect(command).toEqual(['availability']);
    expect(subcommands).toEqual(['apply', 'clear', 'copy-week', 'edit', 'set', 'show']);
    expect(flag).toEqual(['--output']);
    expect(values).toEqual(expect.arrayContaining(['table', 'csv', 'json', 'tsv']));
    expect(flags).toEqual(expect.arrayContaining(['--yes', '--dry-run', '--json']));
  });

  it('completes commands, subcommands, flags and their values in a real fish shell', async () => {
    const r = await runInstru(['autocomplete', 'fish']);
    expect(r.code).toBe(0);
    const script = path.join(home, 'instru.fish');
    writeFileSync(script, r.stdout);
    const complete = (line: string) =>
      execFileSync('fish', ['--no-config', '-c', `source ${script}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]);
    expect(complete('instru avail')).toEqual(['availability']);
    expect(complete('instru availability ')).toEqual(['apply', 'clear', 'copy-week', 'edit', 'set', 'show']);
    expect(complete('instru bookings list --out')).toEqual(['--output']);
    expect(complete('instru bookings list --output ')).toEqual(expect.arrayContaining(['table', 'csv', 'json', 'tsv']));
    expect(complete('instru keys revoke --')).toEqual(expect.arrayContaining(['--yes', '--dry-run', '--json']));
    expect(complete('instru open ')).toEqual(['docs', 'openapi', 'profile']);
    expect(complete('instru availability apply --')).not.toContain('--output');
  });
});
