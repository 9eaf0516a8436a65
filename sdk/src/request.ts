// The one request function of both clients: builds the Request of a contract operation, sends it
// through the client's transport and reads the answer. Paths, queries and bodies are typed from the
// generated `…Data` types (their `url` is the contract's path template), so a contract change still
// breaks callers at compile time; no generated runtime is bundled (see docs/decisions.md).
import { sender, type CallOptions, type Outcome } from './call.js';
import { DEFAULT_TIMEOUT_MS } from './defaults.js';
import { withRetries } from './retry.js';
import type { Session } from './session.js';
import { observed, type Hooks } from './transport.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The shape of a generated `…Data` type: the contract's path template and its parameters. */
export interface Operation {
  url: string;
  path?: unknown;
  query?: unknown;
  body?: unknown;
}

/** Path parameters, query, body and credentials of one request of operation `D`. */
export interface Parts<D extends Operation = Operation> {
  path?: D['path'];
  query?: D['query'];
  body?: D['body'];
  /** Sends the client's credential (`Authorization: Bearer …`) when it has one. */
  auth?: boolean | undefined;
  headers?: Record<string, string> | undefined;
  /** Sends once, without the retries and the session's refresh (probes such as readiness). */
  once?: boolean | undefined;
}

/**
 * One call of contract operation `D` (its generated `…Data` type) answering `T` (its `…Response`):
 * `call<GetMeData, GetMeResponse>('GET', '/v1/me', {}, options)`.
 */
export type Call = <D extends Operation, T>(method: Method, url: D['url'], parts: Parts<D>, options?: CallOptions) => Promise<Exclude<T, undefined>>;

/** How both clients reach the API: the options `createClient` and `createLightClient` share. */
export interface TransportOptions {
  /** The API's origin, e.g. `https://api.instainstru.dev` or `http://127.0.0.1:8000`. */
  baseUrl: string;
  /** Extra headers on every request (in Node, e.g. `origin` for a publishable key). */
  headers?: Record<string, string> | undefined;
  /** A fetch implementation; defaults to the global `fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** Milliseconds a call may take, retries included, before it fails with `InstaInstruTimeoutError` (default 30 000; 0 = none). */
  timeout?: number | undefined;
  /** Automatic retries of 429/503 answers; default 2, `0` turns them off. */
  retries?: number | undefined;
  /** The longest wait for one retry, in seconds (default 10); longer `Retry-After` answers are thrown at once. */
  maxRetryWaitSeconds?: number | undefined;
  /** Observers of every request and its outcome (logging, metrics). */
  hooks?: Hooks | undefined;
}

/**
 * The calls of a client: each runs under the call's deadline, signal and headers, and goes out with
 * the retries and the session's refresh (or once, for probes); `credential()` is the bearer sent
 * where `auth` is set (default: the session's access token); `defaults` apply to every call's parts.
 */
export function caller(options: TransportOptions, session: Session, credential: () => string | undefined = () => session.accessToken, defaults: Parts = {}): Call {
  const base = options.baseUrl.replace(/\/+$/, '');
  // Resolved per call so the global fetch is never invoked with a foreign `this` (browsers refuse that).
  const once = observed(options.fetch ?? ((request: Request) => globalThis.fetch(request)), options.hooks);
  const transport = session.wrap(withRetries(once, { retries: options.retries ?? 2, maxWaitMs: (options.maxRetryWaitSeconds ?? 10) * 1000 }));
  const send = sender(options.headers, options.timeout ?? DEFAULT_TIMEOUT_MS);
  return <D extends Operation, T>(method: Method, url: D['url'], given: Parts<D>, options?: CallOptions) => send(options, async (sent): Promise<Outcome<T>> => {
    const parts: Parts = { ...defaults, ...given };
    const path = url.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent((parts.path as Record<string, string> | undefined)?.[k] ?? ''));
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries((parts.query ?? {}) as Record<string, unknown>)) if (v !== undefined && v !== null) query.append(k, String(v));
    const headers = new Headers({ ...sent.headers, ...parts.headers });
    const body = parts.body === undefined ? null : JSON.stringify(parts.body);
    if (body !== null) headers.set('content-type', 'application/json');
    const token = parts.auth && credential();
    if (token) headers.set('authorization', `Bearer ${token}`);
    const req = new Request(`${base}${path}${query.size ? `?${query}` : ''}`, { method, headers, signal: sent.signal, body });
    let response: Response;
    try {
      response = await (parts.once ? once : transport)(req);
    } catch (error) {
      return { error, request: req };
    }
    // A 204 has an empty body: undefined, as for any empty answer.
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: unwrap reports it
    }
    return response.ok ? { data: parsed as T, request: req, response } : { error: parsed, request: req, response };
  });
}
