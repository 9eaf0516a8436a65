import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, problemBody, type FieldError } from './errors.js';
import { databaseFault } from './db-faults.js';

interface ValidatorError {
  status?: number;
  type?: string;
  errors?: { path?: string; message?: string }[];
  message?: string;
}

/** Maps anything thrown to an AppError; unknown errors become internal_error. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as ValidatorError;
  // The client went away mid-body: its fault, not ours (nobody reads this answer, the log does).
  if (e.type === 'request.aborted') return new AppError('request_aborted', 'The client closed the connection before the whole body arrived.');
  if (e.type === 'entity.parse.failed') return new AppError('malformed_json', 'The body is not valid JSON. Check quotes, commas and brackets.');
  if (e.type === 'entity.too.large') return new AppError('payload_too_large', 'The body is larger than 1 MB. Send less data per request.');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return new AppError('unsupported_media_type', 'Send the body as UTF-8 JSON.');
  if (Array.isArray(e.errors) && typeof e.status === 'number') {
    if (e.status === 404) return new AppError('not_found', 'There is no such endpoint. See GET /docs for the API reference.');
    if (e.status === 405) return new AppError('method_not_allowed', 'This endpoint does not accept this method. See GET /docs.');
    if (e.status === 415) return new AppError('unsupported_media_type', 'Send the body as application/json.');
    if (e.status === 413) return new AppError('payload_too_large', 'The body is larger than 1 MB.');
    if (e.status === 400) {
      const errors: FieldError[] = e.errors.map((x) => ({ path: x.path ?? '', message: x.message ?? 'is invalid' }));
      const summary = errors.map((x) => `${x.path.replace(/^\/(body|query|params|headers)\/?/, '') || x.path} ${x.message}`).join('; ');
      return new AppError('validation_error', `The request is invalid: ${summary}.`, { errors });
    }
  }
  const fault = databaseFault(err);
  if (fault) return fault;
  return new AppError('internal_error', 'Something went wrong on our side. Try again; if it persists, contact support with the request id.');
}

/** The one error handler: RFC 9457 problem+json with a stable code; never a stack trace. */
export function errorHandler(logger: Logger, onDatabaseFault: () => void = () => undefined) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // The outage guard already answered; this is the handler failing to answer a second time.
    if (res.locals.answeredByOutageGuard) return;
    const appError = toAppError(err);
    // A database outage is an expected, retryable state: one warning per request, not an error page.
    if (appError.code === 'database_unavailable') onDatabaseFault();
    if (appError.status === 503) (req.log ?? logger).warn({ code: appError.code, reason: (err as Error)?.message }, 'database unavailable');
    else if (appError.status >= 500) (req.log ?? logger).error({ err }, 'unhandled error');
    if (res.headersSent) return;
    if (appError.extra.retry_after !== undefined) res.setHeader('Retry-After', String(appError.extra.retry_after));
    res.status(appError.status).type('application/problem+json').json(problemBody(appError, req.originalUrl.split('?')[0]));
  };
}

/** 404 for anything no route answered. */
export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new AppError('not_found', 'There is no such endpoint. See GET /docs for the API reference.'));
}
