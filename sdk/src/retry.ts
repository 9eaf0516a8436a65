/** How the client retries answers that say "try again later". */
export interface RetryPolicy {
  /** Extra attempts after the first one. */
  retries: number;
  /** The longest single wait; when the API asks for more, the client gives up at once. */
  maxWaitMs: number;
}

type Fetch = (request: Request) => Promise<Response>;

/** Adapts a Request-only fetch to the full fetch signature the generated client expects. */
export function asFetch(send: Fetch): typeof globalThis.fetch {
  return (input, init) => send(input instanceof Request && init === undefined ? input : new Request(input, init));
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
 */
export function withRetries(send: Fetch, policy: RetryPolicy, sleep = defaultSleep): Fetch {
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= policy.retries;
      const response = await send(last ? request : request.clone());
      if (last || !RETRYABLE.has(response.status)) return response;
      const wait = parseRetryAfter(response.headers.get('retry-after')) ?? BACKOFF_BASE_MS * 2 ** attempt;
      if (wait > policy.maxWaitMs) return response;
      await response.body?.cancel();
      await sleep(wait);
    }
  };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
