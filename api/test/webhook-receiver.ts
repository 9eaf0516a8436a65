import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real local HTTP server standing in for an integrator's webhook receiver. `respond` decides each
 * answer: a status, or 'hang' (never answers).
 */
export async function startReceiver(respond: (r: Received) => number | 'hang' = () => 200, port = 0) {
  const received: Received[] = [];
  let answer = respond;
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      const status = answer(r);
      if (status === 'hang') {
        hanging.add(() => res.destroy());
        return;
      }
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `nope ${status}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}/hooks`,
    received,
    /** Changes how later requests are answered. */
    answerWith(fn: (r: Received) => number | 'hang') {
      answer = fn;
    },
    async close() {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
