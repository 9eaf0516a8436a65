import { failure, markAttempt, type Fetch } from './transport.js';

/** How the client retries answers that say "try again later". */
export interface RetryPolicy {
  /** Extra attempts after the first one. */
  retries: number;
  /** The longest single wait; when the API asks for more, the client gives up at once. */
  maxWaitMs: number;
}

const RETRYABLE = new Set([429, 503]);
const BACKOFF_BASE_MS = 500;

/** Milliseconds to wait from a `Retry-After` header (seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Wraps fetch so 429 and 503 answers are retried after `Retry-After` (or a short backoff).
 * Each attempt sends a clone of the same Request, so headers such as `Idempotency-Key` repeat exactly.
 * The waits end early when the call's signal aborts (timeout or the caller's abort).
 */
export function withRetries(send: Fetch, policy: RetryPolicy, sleep = abortableSleep): Fetch {
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= policy.retries;
      const response = await send(markAttempt(last ? request : request.clone(), attempt));
      if (last || !RETRYABLE.has(response.status)) return response;
      const wait = parseRetryAfter(response.headers.get('retry-after')) ?? BACKOFF_BASE_MS * 2 ** attempt;
      if (wait > policy.maxWaitMs) return response;
      await response.body?.cancel();
      try {
        await sleep(wait, request.signal);
      } catch (error) {
        throw failure(request, error);
      }
    }
  };
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
