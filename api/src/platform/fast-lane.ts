import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import proxyaddr from 'proxy-addr';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { CachedEntry, ResponseCache } from './cache.js';
import { CACHE_CONTROL, matchesEtag, publicKey, type PublicIndex } from './http-cache.js';
import { requestIdOf } from './logger.js';
import type { ResilientStore } from './rate-limit-store.js';
import { clientKey } from './rate-limit.js';

interface Budget {
  store: ResilientStore;
  limit: number;
  windowMs: number;
}

export interface FastLaneDeps {
  cache: ResponseCache;
  index: PublicIndex;
  clock: Clock;
  bucket: (now: Date) => number;
  /** The anonymous per-IP budget, shared with the Express limiter of the same name. */
  budget: Budget;
  /** Express's compiled trust-proxy function, so the client IP is the one the limiter uses. */
  trustProxy: (addr: string, i: number) => boolean;
  corsOrigins: string[];
  /** Access-Control-Expose-Headers of a cross-origin answer, as the CORS middleware sends them. */
  exposedHeaders: string[];
  /** Headers the security middleware would set, captured once. */
  securityHeaders: [string, string][];
  logger: Logger;
  observe?: (route: string, status: number, seconds: number) => void;
}

type Bytes = CachedEntry & { bytes?: Buffer };

/** Captures the headers a middleware (helmet) sets on every response, once. */
export function captureHeaders(middleware: RequestHandler): [string, string][] {
  const headers: [string, string][] = [];
  const res = {
    setHeader: (name: string, value: string) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  middleware({ headers: {}, method: 'GET' } as never, res as never, () => undefined);
  return headers;
}

/**
 * Serves repeat anonymous GETs of cached public answers before Express runs: the URL was already
 * validated by the contract when the answer was first computed, the rate limit, security
 * headers, CORS, request id, log line and metrics are applied here with precomputed values. Anything
 * else (a miss, credentials, a spent budget) goes through the full Express stack.
 */
export function createFastLane(deps: FastLaneDeps) {
  const policy = `"anonymous"; q=${deps.budget.limit}; w=${Math.round(deps.budget.windowMs / 1000)}`;
  const exposed = deps.exposedHeaders.join(',');
  // The policy names the client's partition as express-rate-limit does (draft-8 `pk`: the first
  // 12 hex digits of the key's SHA-256, base64), remembered per client instead of hashed per request.
  const partitions = new Map<string, string>();
  const policyOf = (key: string): string => {
    let value = partitions.get(key);
    if (value === undefined) {
      if (partitions.size >= 10_000) partitions.clear();
      value = `${policy}; pk=:${Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64')}:`;
      partitions.set(key, value);
    }
    return value;
  };

  function entryFor(req: IncomingMessage): { entry: Bytes; route: string } | undefined {
    if (req.method !== 'GET' || req.headers.authorization || !req.url) return undefined;
    const hit = deps.index.lookup(req.url);
    if (!hit) return undefined;
    const version = deps.cache.knownVersion(hit.ns);
    if (version === undefined) return undefined;
    const entry = deps.cache.peek(publicKey(hit.ns, version, deps.bucket(deps.clock.now()), hit.variant));
    return entry ? { entry, route: hit.route } : undefined;
  }

  // The headers every fast answer carries, flattened once ([name, value, name, value, ...]):
  // writeHead takes them in one call instead of one setHeader (a map entry, a check) each.
  // (The CORS middleware names the exposed headers on every public answer, Origin or not.)
  const fixed = [...deps.securityHeaders.flat(), 'Vary', 'Origin', 'Access-Control-Expose-Headers', exposed, 'Cache-Control', CACHE_CONTROL];

  async function serve(req: IncomingMessage, res: ServerResponse, { entry, route }: { entry: Bytes; route: string }, slow: () => void): Promise<void> {
    const started = performance.now();
    const ip = clientKey(proxyaddr(req, deps.trustProxy));
    const { totalHits, resetTime } = await deps.budget.store.increment(ip);
    if (totalHits > deps.budget.limit) return slow(); // the full stack answers the 429 problem
    const id = requestIdOf(req.headers['x-request-id']);
    const reset = Math.max(0, Math.ceil(((resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000));
    const headers = [...fixed, 'X-Request-Id', id, 'RateLimit-Policy', policyOf(ip), 'RateLimit', `"anonymous"; r=${Math.max(0, deps.budget.limit - totalHits)}; t=${reset}`, 'ETag', entry.etag];
    const origin = req.headers.origin;
    if (origin) {
      headers.push('Access-Control-Allow-Origin', origin);
      if (deps.corsOrigins.includes(origin)) headers.push('Access-Control-Allow-Credentials', 'true');
    }
    deps.cache.countHit();
    let status = 200;
    if (matchesEtag(req.headers['if-none-match'], entry.etag)) {
      status = 304;
      res.writeHead(304, headers).end();
    } else {
      entry.bytes ??= Buffer.from(entry.body);
      headers.push('Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(entry.bytes.length));
      res.writeHead(200, headers).end(entry.bytes);
    }
    const seconds = (performance.now() - started) / 1000;
    deps.observe?.(route, status, seconds);
    if (deps.logger.isLevelEnabled('info')) deps.logger.info({ req: { id, method: 'GET', url: req.url }, res: { statusCode: status }, responseTime: Math.round(seconds * 1000), lane: 'fast' }, 'request completed');
  }

  /** Wraps the Express app into the server's request listener. */
  return (app: (req: IncomingMessage, res: ServerResponse) => void) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      const found = entryFor(req);
      if (!found) return app(req, res);
      serve(req, res, found, () => app(req, res)).catch(() => {
        if (!res.headersSent) app(req, res);
      });
    };
}
