import type { NextFunction, Request, Response } from 'express';
import { AppError } from './errors.js';
import { assertDate, daysBetween } from './time.js';
import type { SpecRoutes } from './spec-routes.js';

const INTEGER = /^-?\d{1,15}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the request validator cannot check, taken from the same contract, before it runs:
 * methods (405 with `Allow`, HEAD served by GET, OPTIONS answered with `Allow`), integer query
 * values in plain decimal (its coercion turns `1e400` into Infinity and lets it through), date
 * query values like availability's, and UUIDs in paths and bodies in one canonical (lower) case,
 * so every database and every cache key sees the same id.
 */
export function contractGuard(routes: SpecRoutes) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const route = routes.match(req.path);
    if (!route) return next();
    if (req.method === 'OPTIONS') {
      // CORS preflights for allowed origins were answered before; this is a plain OPTIONS.
      res.setHeader('Allow', route.allow);
      res.status(204).end();
      return;
    }
    // Node already knows this response has no body; the GET handler computes its headers.
    if (req.method === 'HEAD' && route.operations.has('GET')) req.method = 'GET';
    const rules = route.operations.get(req.method);
    if (!rules) {
      res.setHeader('Allow', route.allow);
      throw new AppError('method_not_allowed', `${route.template} accepts ${route.allow}. See GET /docs.`);
    }
    if (route.uuidSegments.length) canonicalPath(req, route.uuidSegments);
    const query = req.query as Record<string, unknown>;
    for (const name of rules.integerQuery) {
      const v = query[name];
      if (v !== undefined && !(typeof v === 'string' && INTEGER.test(v))) {
        throw new AppError('validation_error', `The request is invalid: ${name} must be an integer in plain digits.`, { errors: [{ path: `/query/${name}`, message: 'must be integer' }] });
      }
    }
    for (const name of rules.dateQuery) {
      const v = query[name];
      if (typeof v === 'string') assertDate(v, `/query/${name}`);
    }
    if (typeof query.from === 'string' && typeof query.to === 'string' && rules.dateQuery.includes('from') && daysBetween(query.from, query.to) < 0) {
      throw new AppError('invalid_date', 'The date `to` must not be before `from`.', { errors: [{ path: '/query/to', message: 'must not be before from' }] });
    }
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const name of rules.uuidBody) {
        const v = body[name];
        if (typeof v === 'string' && UUID.test(v)) body[name] = v.toLowerCase();
      }
    }
    next();
  };
}

/** Rewrites UUID path segments to lower case (the URL the routes see; the original stays in originalUrl). */
function canonicalPath(req: Request, indexes: number[]): void {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const segments = path.split('/');
  let changed = false;
  for (const i of indexes) {
    const s = segments[i];
    if (s && UUID.test(s) && s !== s.toLowerCase()) {
      segments[i] = s.toLowerCase();
      changed = true;
    }
  }
  if (changed) req.url = segments.join('/') + (q < 0 ? '' : req.url.slice(q));
}
