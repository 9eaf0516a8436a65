import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from './errors.js';
import type { Metrics } from './metrics.js';
import { bearerOf } from './tokens.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
/** Headers a reverse proxy adds; any of them means the loopback peer is a proxy relaying someone else. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip', 'via'];

/** Times every request; labels it with its route template, never the raw URL, to keep label sets bounded. */
export function metricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = performance.now();
    res.once('finish', () => {
      metrics.httpRequest(req.method, routeOf(req), res.statusCode, (performance.now() - start) / 1000);
    });
    next();
  };
}

/** The route template that answered (or the contract's, for requests refused before any route ran). */
function routeOf(req: Request): string {
  const path: unknown = req.route?.path;
  if (typeof path === 'string') return req.baseUrl + path;
  const contract = (req as { openapi?: { expressRoute?: unknown } }).openapi?.expressRoute;
  return typeof contract === 'string' ? contract : 'unmatched';
}

/** True when a scrape may read the metrics: from loopback (the socket's own address) or with the metrics token. */
export function metricsAccess(remoteAddress: string | undefined, authorization: string | undefined, token: string | undefined): boolean {
  if (remoteAddress && LOOPBACK.has(remoteAddress)) return true;
  if (!token || !authorization) return false;
  const given = bearerOf(authorization);
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** `GET /metrics`: mounted before authentication, which would take the metrics token for a JWT. */
export function metricsRoutes(metrics: Metrics, token: string | undefined): Router {
  const r = Router();
  r.get('/metrics', async (req, res) => {
    // A request that came through a proxy on this host looks like loopback: then only the token opens it.
    const socket = PROXY_HEADERS.some((h) => req.headers[h] !== undefined) ? undefined : req.socket.remoteAddress;
    if (!metricsAccess(socket, req.headers.authorization, token)) {
      throw new AppError('forbidden', 'Metrics are served to loopback, or with "Authorization: Bearer <METRICS_TOKEN>".');
    }
    const { contentType, body } = await metrics.scrape();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  });
  return r;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
