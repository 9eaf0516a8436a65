import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config } from './config.js';

/**
 * The HTTP server with its limits: a client must send its headers within headersTimeoutMs and
 * the whole request within requestTimeoutMs (Node answers 408 and closes), and idle keep-alive
 * connections stay open longer than a load balancer's idle timeout, so the balancer never
 * reuses a connection the API is closing.
 */
export function createHttpServer(listener: (req: IncomingMessage, res: ServerResponse) => void, limits: Config['http']): Server {
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two request timeouts on this interval (default 30 s, too coarse for them).
      connectionsCheckingInterval: Math.min(1000, Math.floor(limits.headersTimeoutMs / 2)),
    },
    listener,
  );
  return server;
}
