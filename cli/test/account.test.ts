import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../api/test/harness.js';
import { createClient } from '@instainstru/sdk';
import { failure } from '../../sdk/test/helpers.js';
import { instru, instruJson, startCliTestApp } from './helpers.js';

let env: Awaited<ReturnType<typeof startCliTestApp>>;
beforeAll(async () => {
  env = await startCliTestApp();
});
afterAll(async () => {
  await env?.close();
});

describe('login, whoami, logout and config', () => {
  it('logs in with flags, stores the token in XDG_CONFIG_HOME (owner-only), and whoami shows the user', async () => {
    const teacher = await registerUser(env.app, 'instructor', { full_name: 'Tess Teacher' });
    const login = await instru('login', '--email', teacher.email, '--password', 'a-long-password-1');
    expect(login.exitCode).toBe(0);
    expect(login.stdout).toContain(`as Tess Teacher <${teacher.email}> (instructor)`);

    const file = path.join(env.configDir, 'instainstru', 'config.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')).profiles.default;
    expect(stored.token).toMatch(/\S{20,}/);
    expect(stored.email).toBe(teacher.email);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const who = await instru('whoami');
    expect(who.stdout).toMatch(/Email:\s+\S+@example\.com/);
    expect(who.stdout).toContain('Role:');
    expect(who.stdout).toContain(env.app.url);
    const json = await instruJson('whoami');
    expect(json.user).toMatchObject({ email: teacher.email, role: 'instructor' });
  });

  it('logs in with an API key, and INSTRU_TOKEN overrides the stored credential', async () => {
    const student = await registerUser(env.app, 'student');
    process.env.INSTRU_TOKEN = student.token;
    const key = await instruJson('keys', 'create', '--name', 'cli test');
    delete process.env.INSTRU_TOKEN;
    expect((await instruJson('whoami')).user.email).not.toBe(student.email);

    const login = await instruJson('login', '--api-key', key.secret);
    expect(login).toMatchObject({ credential: 'api-key', user: { email: student.email } });
    expect(await instruJson('whoami')).toMatchObject({ credential: 'api-key', user: { email: student.email } });
  });

  it('refuses wrong credentials with one line and the code, and exits non-zero', async () => {
    const r = await instru('login', '--email', 'nobody@example.com', '--password', 'wrong-password-123');
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Error: .+ \(invalid_credentials\) /);
  });

  it('asks for nothing without a terminal: missing input is an error, not a prompt', async () => {
    const r = await instru('login', '--email', 'someone@example.com');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('Error: --password is required when not in a terminal (missing_input) Pass --password.\n');
  });

  it('reports a usage error as one line with usage_error', async () => {
    const r = await instru('availability', 'show', '--from', 'tomorrow');
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^Error: .*not a date like 2026-07-15.* \(usage_error\) See `instru availability show --help`\./);
  });

  it('gets and sets the API URL; INSTRU_API_URL wins', async () => {
    expect(await instruJson('config', 'get', 'api-url')).toEqual({ 'api-url': env.app.url });
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const set = await instru('config', 'set', 'api-url', `${closed}/`);
    expect(set.stdout.trim()).toBe(`api-url=${closed}`);
    expect((await instru('config', 'get', 'api-url')).stdout.trim()).toBe(env.app.url);

    const saved = process.env.INSTRU_API_URL;
    delete process.env.INSTRU_API_URL;
    try {
      expect((await instru('config', 'get')).stdout.trim()).toBe(`api-url=${closed}`);
      const down = await instru('whoami');
      expect(down.exitCode).toBe(1);
      expect(down.stderr).toBe(
        `Error: Cannot reach ${closed} (ECONNREFUSED) (connection_error) Check the API URL (\`instru config get api-url\`, INSTRU_API_URL) and that the API is running (\`npm start\`).\n`,
      );
    } finally {
      process.env.INSTRU_API_URL = saved;
    }
  });

  it('status shows the API, the login and the token expiry; open prints or opens the docs and the public profile', async () => {
    const teacher = await registerUser(env.app, 'instructor', { full_name: 'Stella Status' });
    expect((await instru('login', '--email', teacher.email, '--password', 'a-long-password-1')).exitCode).toBe(0);
    const status = await instru('status');
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^API:\\s+${env.app.url} reachable \\(\\d+ ms\\)$`, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^Logged in as:\\s+Stella Status <${teacher.email}> \\(instructor\\)$`, 'm'));
    expect(status.stdout).toMatch(/^Access token:\s+expires \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/m);
    const json = await instruJson('status');
    expect(json).toMatchObject({ api: { reachable: true }, profile: 'default', credential: 'token', user: { email: teacher.email } });

    expect((await instru('open')).stdout).toBe(`${env.app.url}/docs\n`);
    expect((await instru('open', 'profile', '--print')).stdout).toBe(`${env.app.url}/v1/instructors/${teacher.id}\n`);
    const dir = mkdtempSync(path.join(tmpdir(), 'instru-browser-'));
    try {
      const browser = path.join(dir, 'browser.sh');
      writeFileSync(browser, `#!/bin/sh\necho "$1" > ${dir}/opened\n`);
      chmodSync(browser, 0o755);
      process.env.BROWSER = browser;
      expect((await instru('open', 'openapi')).stdout).toBe(`Opened ${env.app.url}/openapi.yaml\n`);
      for (let i = 0; i < 50 && !existsSync(`${dir}/opened`); i++) await new Promise((r) => setTimeout(r, 50));
      expect(readFileSync(`${dir}/opened`, 'utf8')).toBe(`${env.app.url}/openapi.yaml\n`);
    } finally {
      delete process.env.BROWSER;
      rmSync(dir, { recursive: true, force: true });
    }

    const saved = process.env.INSTRU_API_URL;
    process.env.INSTRU_API_URL = `http://127.0.0.1:${await closedPort()}`;
    try {
      const down = await instru('status');
      expect(down.exitCode).toBe(1);
      expect(down.stdout).toMatch(/^API:\s+\S+ NOT reachable: Cannot reach .+ \(connection_error\)/m);
    } finally {
      process.env.INSTRU_API_URL = saved;
    }
  });

  it('renews the session with the real API when the stored access token no longer works, and logout revokes it', async () => {
    const student = await registerUser(env.app, 'student', { full_name: 'Rhea Refresh' });
    expect((await instru('login', '--profile', 'refresh', '--email', student.email, '--password', 'a-long-password-1')).exitCode).toBe(0);
    const file = path.join(env.configDir, 'instainstru', 'config.json');
    const read = () => JSON.parse(readFileSync(file, 'utf8'));
    const first = read().profiles.refresh;
    expect(first.refreshToken).toMatch(/\S{20,}/);
    const all = read();
    all.profiles.refresh.token = 'expired-or-revoked-access-token';
    writeFileSync(file, JSON.stringify(all));

    const who = await instruJson('whoami', '--profile', 'refresh');
    expect(who.user.email).toBe(student.email);
    const renewed = read().profiles.refresh;
    expect(renewed.token).not.toBe('expired-or-revoked-access-token');
    expect(renewed.refreshToken).not.toBe(first.refreshToken);

    expect((await instru('logout', '--profile', 'refresh')).stdout).toBe('Logged out.\n');
    const revoked = await failure(createClient({ baseUrl: env.app.url, token: 'x', refreshToken: renewed.refreshToken }).auth.refresh());
    expect(revoked).toMatchObject({ status: 401, code: 'invalid_refresh_token' });
  });

  it('logs out; then commands that need a login say so', async () => {
    expect((await instru('logout')).stdout).toBe('Logged out.\n');
    const r = await instru('profile', 'show');
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toBe('Error: You are not logged in (not_logged_in) Run `instru login` (or set INSTRU_TOKEN).\n');
  });

  it('prints the error as JSON on stdout with --json too', async () => {
    const r = await instru('whoami', '--json');
    expect(r.exitCode).toBe(4);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'not_logged_in' } });
  });
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
