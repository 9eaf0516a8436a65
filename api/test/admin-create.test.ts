import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, freshDatabaseUrl, startTestApp, type TestApp } from './harness.js';

const apiDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs one of the api/src/cli scripts the way `npm run` does, with stdin not a terminal. */
function runCli(script: string, args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile('npx', ['tsx', `src/cli/${script}.ts`, ...args], { cwd: apiDir, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

describe('npm run migrate and npm run admin:create', () => {
  let database: Awaited<ReturnType<typeof freshDatabaseUrl>>;
  let dataDir: string;
  let env: Record<string, string>;
  let app: TestApp;

  beforeAll(async () => {
    database = await freshDatabaseUrl();
    dataDir = mkdtempSync(path.join(tmpdir(), 'ii-cli-'));
    env = { DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const migrated = await runCli('migrate', [], env);
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toContain('001-accounts-instructors-availability');
    // The app serves the same database the commands wrote to (env overrides the harness's own).
    app = await startTestApp({ env: { DATABASE_URL: database.url } });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports an up-to-date database on a second migrate', async () => {
    const again = await runCli('migrate', [], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No pending migrations');
  });

  it('creates an admin who can log in through the API', async () => {
    const res = await runCli('admin-create', ['--email', 'Ada@Example.com', '--name', 'Ada Admin'], { ...env, ADMIN_PASSWORD: 'an-admin-password-1' });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Created admin ada@example.com');

    const login = await call(app, 'POST', '/v1/auth/login', { body: { email: 'ada@example.com', password: 'an-admin-password-1' } });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: 'ada@example.com', full_name: 'Ada Admin', role: 'admin' });
    const me = await call(app, 'GET', '/v1/me', { token: login.body.access_token });
    expect(me.body.role).toBe('admin');
  });

  it('refuses to run where there is no database (not the server\'s DATA_DIR), and leaves no file there', async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'ii-cli-none-'));
    try {
      const file = path.join(elsewhere, 'instainstru.db');
      const res = await runCli('admin-create', ['--email', 'lost@example.com', '--name', 'Lost Admin'], { DATA_DIR: elsewhere, DATABASE_URL: `sqlite:${file}`, ADMIN_PASSWORD: 'an-admin-password-1', LOG_LEVEL: 'silent' });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`admin:create: there is no database at`);
      expect(res.stderr).toContain(`run this with the server's DATA_DIR (or DATABASE_URL)`);
      expect(readdirSync(elsewhere)).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses an email that already has an account', async () => {
    const res = await runCli('admin-create', ['--email', 'ada@example.com', '--name', 'Other'], { ...env, ADMIN_PASSWORD: 'another-password-2' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('already exists');
    const login = await call(app, 'POST', '/v1/auth/login', { body: { email: 'ada@example.com', password: 'another-password-2' } });
    expect(login.body.code).toBe('invalid_credentials');
  });

  it('refuses to run without ADMIN_PASSWORD when stdin is not a terminal', async () => {
    const res = await runCli('admin-create', ['--email', 'bob@example.com', '--name', 'Bob'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('ADMIN_PASSWORD');
  });

  it('applies the password policy', async () => {
    const res = await runCli('admin-create', ['--email', 'carol@example.com', '--name', 'Carol'], { ...env, ADMIN_PASSWORD: 'short' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('at least 10 characters');
  });
});
