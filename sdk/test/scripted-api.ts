import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
/** A scripted answer; `hang` accepts the request and never answers. */
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown; raw?: string; delayMs?: number } | 'hang';

const servers: Server[] = [];
afterEach(async () => {
  for (const running of servers.splice(0)) {
    running.closeAllConnections();
    await new Promise((r) => running.close(r));
  }
});

/** A tiny stand-in API on 127.0.0.1 that answers from a script and records every request (closed after each test). */
export async function scriptedApi(answers: (attempt: number, seen: Seen) => Answer | Promise<Answer>) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(request);
      const answer = await answers(seen.length, request);
      if (answer === 'hang') return;
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      const type = answer.raw !== undefined ? 'text/html' : answer.status >= 400 ? 'application/problem+json' : 'application/json';
      res.writeHead(answer.status, { 'content-type': type, ...answer.headers });
      res.end(answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

export const problem = (status: number, code: string, detail = code) => ({ status, body: { type: 'about:blank', title: code, status, code, detail } });

/** A loopback URL where nothing listens (a port just freed). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}
