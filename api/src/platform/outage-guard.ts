import type { NextFunction, Request, Response } from 'express';
import { AppError, problemBody } from './errors.js';

/** How long after the last database failure the database counts as failing. */
const FAILING_FOR_MS = 1_000;

/** Remembers when the database last failed a request (set by the error handler). */
export function databaseHealth(now: () => number = Date.now) {
  let lastFault = -Infinity;
  return {
    noteFault(): void {
      lastFault = now();
    },
    failingRecently(): boolean {
      return now() - lastFault < FAILING_FOR_MS;
    },
  };
}

export type DatabaseHealth = ReturnType<typeof databaseHealth>;

/**
 * While the database is failing, no request may hang on it: one still unanswered after
 * `deadlineMs` gets 503 database_unavailable at once. Whatever the handler does later is
 * dropped (a booking that commits after all is replayed to the client's retry through its
 * Idempotency-Key). Healthy requests are never cut short.
 */
export function outageGuard(health: DatabaseHealth, deadlineMs = 500) {
  return (req: Request, res: Response, next: NextFunction) => {
    let timer: NodeJS.Timeout;
    const check = () => {
      if (res.headersSent) return;
      if (!health.failingRecently()) {
        // Slow but no failure seen yet: look again shortly (the first failure of an outage
        // often arrives after the requests already stuck on it).
        if (Date.now() - started < 30_000) timer = setTimeout(check, 100).unref();
        return;
      }
      res.locals.answeredByOutageGuard = true;
      const err = new AppError('database_unavailable', 'The database is unreachable or restarting. Retry in a moment.', { retry_after: 1 });
      res.setHeader('Retry-After', '1');
      res.status(503).type('application/problem+json').json(problemBody(err, req.originalUrl.split('?')[0]));
    };
    const started = Date.now();
    timer = setTimeout(check, deadlineMs).unref();
    const done = () => clearTimeout(timer);
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
