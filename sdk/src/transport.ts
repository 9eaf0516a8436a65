import { InstaInstruConnectionError, InstaInstruError, InstaInstruTimeoutError } from './error.js';

export type Fetch = (request: Request) => Promise<Response>;

/** What a hook sees of one attempt (a retry is a new attempt of the same call, with the same request id). */
export interface RequestEvent {
  method: string;
  url: string;
  requestId: string | undefined;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** The outcome of one attempt: its status, or the error when no answer came. */
export interface ResponseEvent extends RequestEvent {
  status: number | undefined;
  durationMs: number;
  error?: InstaInstruError | undefined;
}

/** Observers of every request the client sends (e.g. for logging); they must not throw. */
export interface Hooks {
  onRequest?: (event: RequestEvent) => void;
  onResponse?: (event: ResponseEvent) => void;
}

/** The reason a call's own deadline aborts it with (tells a timeout from a caller's abort). */
export class CallTimeout extends Error {
  override readonly name = 'CallTimeout';
  constructor(readonly ms: number) {
    super(`No answer within ${ms} ms`);
  }
}

const attempts = new WeakMap<Request, number>();

/**
 * One attempt: runs the hooks and turns a failed fetch into an InstaInstruError: the call's
 * timeout into InstaInstruTimeoutError, anything else but the caller's own abort into
 * InstaInstruConnectionError. A caller's abort rejects with the signal's reason, as fetch does.
 */
export function observed(send: Fetch, hooks: Hooks = {}): Fetch {
  return async (request) => {
    const attempt = (attempts.get(request) ?? 0) + 1;
    const event: RequestEvent = { method: request.method, url: request.url, requestId: request.headers.get('x-request-id') ?? undefined, attempt };
    hooks.onRequest?.(event);
    const started = Date.now();
    try {
      const response = await send(request);
      hooks.onResponse?.({ ...event, status: response.status, durationMs: Date.now() - started });
      return response;
    } catch (error) {
      const mapped = failure(request, error);
      if (mapped instanceof InstaInstruError) hooks.onResponse?.({ ...event, status: undefined, durationMs: Date.now() - started, error: mapped });
      throw mapped;
    }
  };
}

/** Marks the attempt number of a retry's request for the hooks. */
export function markAttempt(request: Request, attempt: number): Request {
  attempts.set(request, attempt);
  return request;
}

/** The error to throw for a request that got no answer. */
export function failure(request: Request, error: unknown): unknown {
  if (error instanceof InstaInstruError) return error;
  const info = { requestId: request.headers.get('x-request-id') ?? undefined, method: request.method, url: request.url };
  if (request.signal.aborted) {
    const reason: unknown = request.signal.reason;
    if (reason instanceof CallTimeout) return new InstaInstruTimeoutError(info, error, reason.ms);
    return reason ?? error;
  }
  return new InstaInstruConnectionError(info, error);
}
