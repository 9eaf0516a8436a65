// The one request function of both clients: builds the Request of a contract operation, sends it
// through the client's transport and reads the answer. Paths, queries and bodies are typed from the
// generated `…Data` types (their `url` is the contract's path template), so a contract change still
// breaks callers at compile time; no generated runtime is bundled (see docs/decisions.md).
import type { CallOptions, Outcome, Send } from './call.js';
import type { Fetch } from './transport.js';

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

/**
 * The calls of a client at `base`: each runs under `send` (deadline, signal, headers, errors) and goes
 * out through `transport` (retries, session refresh), or `once` for probes; `credential()` is the
 * bearer sent where `auth` is set; `defaults` apply to every call's parts.
 */
export function caller(base: string, send: Send, transport: Fetch, once: Fetch, credential: () => string | undefined, defaults: Parts = {}): Call {
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
