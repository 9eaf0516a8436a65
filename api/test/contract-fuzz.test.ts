import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPEC_PATH } from '../src/app.js';
import { call, publishedInstructor, registerAdmin, registerUser, startTestApp, type TestApp } from './harness.js';
import { deepNest, HOSTILE_QUERY, HOSTILE_SEGMENTS, HOSTILE_VALUES, pathsOf, replaceAt, sample, serialize, type JsonSchema } from './fuzz/schema-values.js';

/**
 * Contract fuzz test: every operation of openapi.yaml, against the real API and database, with
 * wrong types, overflowing numbers, NUL bytes, deep nesting, unknown fields, bad dates, odd
 * methods and content types. Whatever the input: never a 5xx, and every error is problem+json
 * with a code listed in openapi.yaml. Fixed seed and a fixed number of requests per operation,
 * so a run is repeatable and bounded (a failure prints the seed and the shrunk request).
 */

const SEED = 20261201;
const RUNS_PER_OPERATION = 12;
/** One value per class for the sweep: overflow, NUL, nesting, wrong types, bad date, blank, huge. */
const SWEEP_VALUES: unknown[] = [`__raw:${'['.repeat(20_000)}1${']'.repeat(20_000)}__`, '__raw:1e400__', '__raw:-1e400__', 2 ** 31, 'a\u0000b', deepNest(40), {}, null, '2026-02-30', '   ', 'x'.repeat(3000)];
const SWEEP_QUERY = ['1e400', '99999999999999999999', 'a%00b', '2026-02-30', '%ff', 'x'.repeat(600), '[]'];
const ODD_METHODS = ['PROPFIND', 'PURGE', 'SEARCH', 'LOCK', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'GET', 'POST'];

interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  parameters?: (Param | JsonSchema)[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
type Spec = { paths: Record<string, Record<string, Operation | Param[]>>; components: Record<string, Record<string, unknown>> };

const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as Spec;
const deref = <T = JsonSchema>(s: unknown): T => {
  const ref = (s as { $ref?: string } | undefined)?.$ref;
  if (!ref) return (s ?? {}) as T;
  const [, , kind, name] = ref.split('/');
  return deref<T>(spec.components[kind!]![name!]);
};
const CODES = new Set(deref<{ enum: string[] }>({ $ref: '#/components/schemas/ErrorCode' }).enum);

const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  (['get', 'put', 'post', 'patch', 'delete'] as const)
    .filter((m) => item[m])
    .map((method) => {
      const op = item[method] as Operation;
      const params = [...((item.parameters as Param[] | undefined) ?? []), ...(op.parameters ?? [])].map((p) => deref<Param>(p));
      return { path, method: method.toUpperCase(), params, body: op.requestBody?.content?.['application/json']?.schema };
    }),
);

interface Request {
  method: string;
  url: string;
  token?: string;
  headers: Record<string, string>;
  raw?: string;
}

describe('contract fuzz (openapi.yaml, every operation)', () => {
  let app: TestApp;
  let fixtures: Record<string, unknown>;
  let tokens: (string | undefined)[];
  beforeAll(async () => {
    app = await startTestApp({ env: { CORS_ORIGINS: 'https://partner.example' } });
    const inst = await publishedInstructor(app, { days: [{ date: '2026-07-15', ranges: [{ start_time: '09:00', end_time: '17:00' }] }] });
    const student = await registerUser(app, 'student');
    const booking = await call(app, 'POST', '/v1/bookings', {
      token: student.token,
      body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-15', start_time: '09:00', duration_minutes: 60, location_type: 'online' },
    });
    const key = await call(app, 'POST', '/v1/me/api-keys', { token: inst.token, body: { name: 'fuzz' } });
    if (booking.status !== 201 || key.status !== 201) throw new Error('fixtures failed');
    fixtures = { instructor_id: inst.id, service_id: inst.serviceId, booking_id: booking.body.id, key_id: key.body.id, date: '2026-07-15', duration_minutes: 60 };
    const admin = await registerAdmin(app);
    tokens = [undefined, inst.token, student.token, key.body.secret as string, 'garbage-token', admin.token];
  });
  afterAll(async () => app.close());

  /** The caller who may use an operation (others are tried too, as one of the defects). */
  const ownerToken = (path: string) => {
    if (/^\/v1\/me\/(instructor-profile|services|availability|blackouts|api-keys)/.test(path)) return tokens[1];
    // Admin operations (refunds, the test clock) with the admin's token, so their handlers see the fuzz.
    if (path.startsWith('/v1/admin') || /^\/v1\/bookings\/[^/]+\/refunds?$/.test(path)) return tokens[5];
    if (path.startsWith('/v1/me') || path.startsWith('/v1/bookings')) return tokens[2];
    return undefined;
  };

  /** One request for an operation: a valid request with one defect (or none), as fast-check picks. */
  const requestFor = (op: (typeof operations)[number]) => {
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    const defects = [
      { weight: 1, arbitrary: fc.constant('none' as const) },
      { weight: 1, arbitrary: fc.constantFrom('method' as const, 'token' as const, 'unknown_query' as const) },
      ...(op.body ? [{ weight: 8, arbitrary: fc.constant('body' as const) }, { weight: 2, arbitrary: fc.constantFrom('unknown_field' as const, 'malformed' as const, 'text_plain' as const, 'form' as const, 'no_body' as const) }] : []),
      ...(queryParams.length ? [{ weight: 6, arbitrary: fc.constant('query' as const) }] : []),
      ...(pathParams.length ? [{ weight: 3, arbitrary: fc.constant('segment' as const) }] : []),
    ];
    return fc
      .record({
        defect: fc.oneof(...defects),
        at: fc.nat(),
        value: fc.constantFrom(...HOSTILE_VALUES),
        queryValue: fc.oneof(fc.constantFrom(...HOSTILE_QUERY), fc.constantFrom('[]', '[a]')),
        segment: fc.constantFrom('upper', ...HOSTILE_SEGMENTS),
        method: fc.constantFrom(...ODD_METHODS),
        token: fc.nat(tokens.length - 1),
        withOptional: fc.boolean(),
      })
      .map((c): Request => {
        let path = op.path;
        pathParams.forEach((p, i) => {
          const valid = String(fixtures[p.name] ?? '2026-07-20');
          const hostile = c.defect === 'segment' && c.at % pathParams.length === i;
          path = path.replace(`{${p.name}}`, !hostile ? valid : c.segment === 'upper' ? valid.toUpperCase() : c.segment);
        });
        const query: string[] = [];
        queryParams.forEach((p, i) => {
          if (c.defect === 'query' && c.at % queryParams.length === i) {
            const v = c.queryValue;
            query.push(v.startsWith('[') ? `${p.name}${v}=1&${p.name}${v}=2` : `${p.name}=${v}`);
          } else if (p.required || (c.withOptional && p.name !== 'cursor')) {
            query.push(`${p.name}=${encodeURIComponent(String(sample(p.schema, deref, p.name, fixtures)))}`);
          }
        });
        if (c.defect === 'unknown_query') query.push('unknown_param=1');
        const url = path + (query.length ? `?${query.join('&')}` : '');
        const headers: Record<string, string> = { 'content-type': 'application/json', origin: 'https://partner.example' };
        const base = op.body ? sample(op.body, deref, 'body', fixtures) : undefined;
        let raw = base === undefined ? undefined : serialize(base);
        if (c.defect === 'body') {
          const paths = pathsOf(base);
          raw = serialize(replaceAt(base, paths[c.at % paths.length]!, c.value));
        } else if (c.defect === 'unknown_field') {
          raw = serialize({ ...(base as object), unknown_field: 1 });
        } else if (c.defect === 'malformed') {
          raw = '{"a": [1, 2,, }';
        } else if (c.defect === 'text_plain') {
          headers['content-type'] = 'text/plain';
          raw = 'hello';
        } else if (c.defect === 'form') {
          headers['content-type'] = 'application/x-www-form-urlencoded';
          raw = 'email=a%40b.example&password=x';
        } else if (c.defect === 'no_body') {
          delete headers['content-type'];
          raw = undefined;
        }
        const method = c.defect === 'method' ? c.method : op.method;
        const token = c.defect === 'token' ? tokens[c.token] : ownerToken(op.path);
        return { method, url, token, headers, raw: method === 'GET' || method === 'HEAD' ? undefined : raw };
      });
  };

  /** Sends one request and checks the answer: below 500, and an error is a problem with a documented code. */
  const check = async (req: Request) => {
    const res = await call(app, req.method, req.url, { token: req.token, headers: req.headers, raw: req.raw });
    const what = `${req.method} ${req.url} ${req.raw?.slice(0, 200) ?? ''} -> ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    if (res.status >= 400) {
      expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
      if (req.method !== 'HEAD') {
        expect(CODES.has(res.body?.code), what).toBe(true);
        expect(res.body.status, what).toBe(res.status);
      }
      if (res.status === 405) expect(res.headers.get('allow'), what).toBeTruthy();
    }
  };

  /** Every class of bad input at every place of the operation: each body field, query parameter and path segment. */
  const sweep = (op: (typeof operations)[number]): Request[] => {
    const token = ownerToken(op.path);
    const headers = { 'content-type': 'application/json', origin: 'https://partner.example' };
    const valid = (p: Param) => String(fixtures[p.name] ?? sample(p.schema, deref, p.name, fixtures));
    const pathWith = (name?: string, value?: string) => op.params.filter((p) => p.in === 'path').reduce((path, p) => path.replace(`{${p.name}}`, p.name === name ? value! : valid(p)), op.path);
    const query = (name?: string, value?: string) =>
      op.params
        .filter((p) => p.in === 'query' && (p.required || p.name === name))
        .map((p) => (p.name === name ? `${p.name}=${value}` : `${p.name}=${encodeURIComponent(valid(p))}`))
        .join('&');
    const url = (q: string, path = pathWith()) => (q ? `${path}?${q}` : path);
    const base = op.body ? sample(op.body, deref, 'body', fixtures) : undefined;
    const raw = base === undefined ? undefined : serialize(base);
    const out: Request[] = [];
    for (const p of op.params.filter((x) => x.in === 'query')) for (const v of SWEEP_QUERY) out.push({ method: op.method, url: url(query(p.name, v)), token, headers, raw });
    for (const p of op.params.filter((x) => x.in === 'path')) for (const v of ['%00', 'x'.repeat(300), '2026-02-30', valid(p).toUpperCase()]) out.push({ method: op.method, url: url(query(), pathWith(p.name, v)), token, headers, raw });
    if (base !== undefined) {
      for (const at of pathsOf(base)) for (const v of SWEEP_VALUES) out.push({ method: op.method, url: url(query()), token, headers, raw: serialize(replaceAt(base, at, v)) });
      out.push({ method: op.method, url: url(query()), token, headers, raw: serialize({ ...(base as object), unknown_field: 1 }) });
    }
    out.push({ method: op.method, url: url(query() ? `${query()}&unknown_param=1` : 'unknown_param=1'), token, headers, raw });
    for (const method of ['PROPFIND', 'HEAD', 'OPTIONS']) out.push({ method, url: url(query()), token, headers });
    return out;
  };

  for (const op of operations) {
    it(`${op.method} ${op.path}: no 5xx, every error a documented problem`, async () => {
      // A few in flight at once: the server serializes what it must, and the budget stays small.
      const queue = sweep(op);
      await Promise.all(Array.from({ length: 4 }, async () => {
        for (let req = queue.shift(); req; req = queue.shift()) await check(req);
      }));
      await fc.assert(fc.asyncProperty(requestFor(op), check), { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true });
    });
  }

  it('covers every operation of the contract', () => {
    expect(operations.length).toBeGreaterThanOrEqual(35);
  });
});
