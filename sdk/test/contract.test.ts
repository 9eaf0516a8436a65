// Every method of createClient against openapi.yaml: it sends an operation the contract has (method
// and path), with credentials exactly when the operation declares `security`, and every operation a
// client would call has a method. The paths are typed from the generated `…Data['url']`; the
// methods and the `auth` flags are written by hand, so this is where they are checked.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createClient } from '../src/index.js';

interface Op {
  method: string;
  template: string;
  pattern: RegExp;
  secured: boolean;
}

const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  security?: Array<Record<string, unknown>>;
  paths: Record<string, Record<string, { operationId?: string; security?: Array<Record<string, unknown>> }>>;
};
const operations: Op[] = Object.entries(spec.paths).flatMap(([template, methods]) =>
  Object.entries(methods)
    .filter(([, op]) => typeof op === 'object' && op.operationId)
    .map(([method, op]) => ({
      method: method.toUpperCase(),
      template,
      pattern: new RegExp(`^${template.replace(/\./g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
      // An operation is secured when some scheme is required (an empty entry `{}` only makes it optional).
      secured: (op.security ?? spec.security ?? []).some((entry) => Object.keys(entry).length > 0),
    })),
);

/** Operations no SDK method calls: served to browsers, scrapers and Stripe, not to API clients. */
const NOT_IN_SDK = [
  'GET /v1/calendar/{token}.ics',
  'POST /v1/payments/stripe/webhook',
  'GET /metrics',
  'GET /openapi.yaml',
  'GET /widget/v1/widget.js',
  'GET /widget/v1/stub.js',
  'GET /widget/v1/manifest.json',
  'GET /demo',
  'GET /docs',
];

const ids = { booking_id: 'b1', service_id: 's1', date: '2026-12-07', webhook_id: 'w1', delivery_id: 'd1', key_id: 'k1', instructor_id: 'i1', payment_method_id: 'p1' };

describe('createClient against the contract', () => {
  it('sends each method as an operation of openapi.yaml, with credentials exactly where it declares security', async () => {
    const sent: Array<{ call: string; method: string; path: string; auth: boolean }> = [];
    // A fresh signed-in client per method, so one method (logout) cannot change what the next one sends.
    const signedIn = (call: string) =>
      createClient({
        baseUrl: 'http://api.test',
        token: 'access-1',
        refreshToken: 'refresh-1',
        retries: 0,
        fetch: async (request) => {
          sent.push({ call, method: request.method, path: new URL(request.url).pathname, auth: request.headers.has('authorization') });
          return Response.json({ access_token: 'access-2', refresh_token: 'refresh-2', expires_in: 900 });
        },
      });
    const names = Object.entries(signedIn('')).flatMap(([group, methods]) =>
      typeof methods === 'object' ? Object.keys(methods).filter((name) => `${group}.${name}` !== 'auth.session').map((name) => [group, name] as const) : [],
    );
    expect(names.length).toBeGreaterThan(50);
    for (const [group, name] of names) {
      const call = `${group}.${name}`;
      const client: Record<string, unknown> = signedIn(call);
      const method = (client[group] as Record<string, (params: unknown) => Promise<unknown>>)[name]!;
      const before = sent.length;
      await method({ ...ids });
      expect(sent.length - before, `${call} sends one request`).toBe(1);
    }
    const problems = sent.flatMap(({ call, method, path, auth }) => {
      const op = operations.find((o) => o.method === method && o.pattern.test(path));
      if (!op) return [`${call}: ${method} ${path} is not in openapi.yaml`];
      return op.secured === auth ? [] : [`${call}: ${method} ${op.template} ${auth ? 'sends' : 'lacks'} credentials (security ${op.secured ? 'required' : 'none'})`];
    });
    expect(problems).toEqual([]);

    const covered = new Set(sent.map(({ method, path }) => operations.find((o) => o.method === method && o.pattern.test(path))!).map((o) => `${o.method} ${o.template}`));
    const missing = operations.map((o) => `${o.method} ${o.template}`).filter((key) => !covered.has(key) && !NOT_IN_SDK.includes(key));
    expect(missing, 'operations without an SDK method').toEqual([]);
  });
});
