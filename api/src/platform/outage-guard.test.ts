import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseHealth, outageGuard } from './outage-guard.js';

describe('outage guard', () => {
  const health = databaseHealth();
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const app = express();
    app.use(outageGuard(health, 200));
    // A handler stuck on the database for 1.5 s, then answering (too late while it is failing).
    app.get('/slow', async (_req, res, next) => {
      await new Promise((r) => setTimeout(r, 1_500));
      try {
        res.json({ ok: true });
      } catch (err) {
        next(err);
      }
    });
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      if (!res.headersSent) res.status(500).end();
    });
    server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('never cuts a slow request short while the database is healthy', async () => {
    const res = await fetch(`${url}/slow`);
    expect([res.status, await res.json()]).toEqual([200, { ok: true }]);
  });

  it('answers 503 database_unavailable with Retry-After once the database has failed, instead of hanging', async () => {
    const started = Date.now();
    const pending = fetch(`${url}/slow`);
    await new Promise((r) => setTimeout(r, 400));
    health.noteFault(); // the first failure arrives after the request was already stuck
    const res = await pending;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect([res.status, res.headers.get('retry-after'), ((await res.json()) as { code: string }).code]).toEqual([503, '1', 'database_unavailable']);
  });
});
