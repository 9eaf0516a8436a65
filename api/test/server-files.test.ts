import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/main.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';
import { createMailer } from '../src/platform/mail.js';
import { call, startTestApp } from './harness.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ii-files-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8);
/** A server on the embedded database in dataDir (no DATABASE_URL: DATA_DIR alone decides). */
const serverIn = (dataDir: string, extra: Record<string, string> = {}) =>
  startServer(loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO: 'false', ...extra }));
const portOf = (server: { address(): unknown }) => (server.address() as AddressInfo).port;

/** Sends `text` on a raw connection and resolves with whatever the server answers before closing. */
async function rawExchange(port: number, text: string): Promise<{ answer: string; ms: number }> {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (c: Buffer) => (answer += c.toString()));
  socket.write(text);
  await new Promise((r) => socket.once('close', r));
  return { answer, ms: Date.now() - started };
}

describe('server limits and files', () => {
  it('DATA_DIR moves the embedded database; it, its WAL, the dev secret and outbox mails are owner-only (0600)', async () => {
    // A directory that does not exist yet, as `data/` in a fresh clone: the server creates it.
    const dataDir = path.join(tempDir(), 'data');
    expect(loadConfig({ DATA_DIR: dataDir }).databaseUrl).toBe(`sqlite:${path.join(dataDir, 'instainstru.db')}`);
    const { server, stop } = await serverIn(dataDir);
    try {
      const res = await fetch(`http://127.0.0.1:${portOf(server)}/readyz`);
      expect(res.status).toBe(200);
      const files = readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining(['instainstru.db', 'instainstru.db.lock', 'jwt-secret']));
      for (const f of files.filter((f) => f.startsWith('instainstru.db') || f === 'jwt-secret')) expect(mode(path.join(dataDir, f)), f).toBe('600');
      expect(mode(dataDir)).toBe('700');
    } finally {
      await stop();
    }
    const outbox = path.join(tempDir(), 'outbox');
    await createMailer({ from: 'a@b.example', outboxDir: outbox }).send({ to: 'x@example.com', template: 'password-reset', data: { url: 'http://x', minutes: 30 } });
    const [mail] = readdirSync(outbox);
    expect(mode(path.join(outbox, mail!))).toBe('600');
  });

  it('two servers on one SQLite file: the second refuses to start; after the first stops (or if it died) a new one starts', async () => {
    const dataDir = tempDir();
    const first = await serverIn(dataDir);
    await expect(serverIn(dataDir)).rejects.toThrow(/Another API server \(pid \d+\) is using .*instainstru\.db/);
    await expect(serverIn(dataDir)).rejects.toBeInstanceOf(ConfigError);
    // The refused start did not take or break the first one's lock.
    expect((await fetch(`http://127.0.0.1:${portOf(first.server)}/healthz`)).status).toBe(200);
    await first.stop();
    expect(readdirSync(dataDir)).not.toContain('instainstru.db.lock');
    // A lock left by a process that no longer exists (kill -9) is taken over.
    writeFileSync(path.join(dataDir, 'instainstru.db.lock'), '2147483646\n');
    const second = await serverIn(dataDir);
    await second.stop();
  });

  it('request timeouts: headers and body must arrive in time (408), idle keep-alive outlives a load balancer (70 s)', async () => {
    const defaults = await serverIn(tempDir());
    try {
      expect(defaults.server.requestTimeout).toBe(30_000);
      expect(defaults.server.headersTimeout).toBe(30_000);
      expect(defaults.server.keepAliveTimeout).toBe(70_000);
    } finally {
      await defaults.stop();
    }
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '2000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
    // Production never runs on a generated secret.
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: tempDir() })).toThrow(/JWT_SECRET: required/);

    const { server, stop } = await serverIn(tempDir(), { HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '65001' });
    try {
      expect(server.keepAliveTimeout).toBe(65_001);
      const port = portOf(server);
      const slowHeaders = await rawExchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
      expect(slowHeaders.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(slowHeaders.ms).toBeLessThan(4000);
      const slowBody = await rawExchange(port, 'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"email"');
      expect(slowBody.answer).toMatch(/HTTP\/1\.1 (408|400)/);
      expect(slowBody.ms).toBeLessThan(5000);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await stop();
    }
  });

  it('/docs serves only the assets Swagger UI needs', async () => {
    const app = await startTestApp();
    try {
      for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css']) expect((await call(app, 'GET', `/docs/assets/${asset}`)).status).toBe(200);
      for (const other of ['package.json', 'README.md', 'index.html', 'swagger-ui.js', 'index.js', 'swagger-initializer.js', 'absolute-path.js', 'LICENSE']) {
        const res = await call(app, 'GET', `/docs/assets/${other}`);
        expect(res.status, other).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
    } finally {
      await app.close();
    }
  });
});
