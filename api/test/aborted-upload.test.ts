import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './harness.js';

interface LogLine {
  level: number;
  msg: string;
  req?: { url: string };
  res?: { statusCode: number };
}

/** Sends the headers and part of a body, then hangs up. */
async function abortUpload(app: TestApp, path: string): Promise<void> {
  const { port } = new URL(app.url);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  // Hang up only once the server has the request (on a loaded machine it may read it late).
  const arrived = new Promise((r) => app.server.once('request', r));
  socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"email":"someone@exa`);
  await arrived;
  await new Promise((r) => setTimeout(r, 50));
  socket.destroy();
}

describe('client-aborted uploads', () => {
  let app: TestApp;
  const lines: LogLine[] = [];
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    app = await startTestApp({ logger });
  });
  afterAll(async () => app.close());

  it('are logged as aborted with a 4xx, never as a 500 or an error', async () => {
    for (const path of ['/v1/auth/register', '/v1/auth/login', '/v1/me/services']) await abortUpload(app, path);
    await expect.poll(() => lines.filter((l) => l.res?.statusCode === 400 && l.req?.url !== undefined).length, { timeout: 20_000 }).toBe(3);
    // The server is fine afterwards.
    expect((await call(app, 'GET', '/healthz')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const aborted = lines.filter((l) => ['/v1/auth/register', '/v1/auth/login', '/v1/me/services'].includes(l.req?.url ?? ''));
    expect(aborted.length).toBe(3);
    for (const line of aborted) {
      expect(line.res?.statusCode).toBe(400);
      expect(line.level).toBeLessThan(50); // below pino's "error"
      expect(line.msg).toMatch(/aborted/);
    }
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});
