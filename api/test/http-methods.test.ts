import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, startTestApp, type TestApp } from './harness.js';
import { SpecRoutes } from '../src/platform/spec-routes.js';
import { SPEC_PATH } from '../src/app.js';

const ALL = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'];

/** HEAD with node:http (fetch would do too, but this also proves no body bytes arrive). */
function head(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'HEAD', headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP methods', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  const routes = SpecRoutes.load(SPEC_PATH);
  const concrete = (template: string) =>
    template
      .replace('{instructor_id}', inst.id)
      .replace('{date}', '2026-07-15')
      .replace(/\{\w+_id\}/g, '00000000-0000-4000-8000-000000000000');
  beforeAll(async () => {
    app = await startTestApp({ env: { CORS_ORIGINS: 'https://partner.example' } });
    inst = await publishedInstructor(app, { days: [{ date: '2026-07-15', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
  });
  afterAll(async () => app.close());

  it('every method a path does not have is 405 method_not_allowed with an Allow header listing the ones it has', async () => {
    let checked = 0;
    for (const route of routes.all()) {
      const allowed = [...route.operations.keys()];
      const expected = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
      for (const method of ALL.filter((m) => !allowed.includes(m))) {
        const res = await call(app, method, concrete(route.template), { token: inst.token, body: method === 'GET' ? undefined : {} });
        expect(res.status, `${method} ${route.template}`).toBe(405);
        expect(res.body.code).toBe('method_not_allowed');
        expect(res.headers.get('allow')?.split(', ').sort()).toEqual(expected.sort());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('HEAD works wherever GET does: same status and headers, no body', async () => {
    for (const route of routes.all().filter((r) => r.operations.has('GET'))) {
      const path = concrete(route.template) + (route.template.endsWith('/availability') ? '?from=2026-07-15&to=2026-07-15' : '');
      // One Accept-Encoding for both: a compressed answer is another representation (its own ETag).
      const headers = { authorization: `Bearer ${inst.token}`, 'accept-encoding': 'gzip' };
      const get = await fetch(app.url + path, { headers });
      await get.arrayBuffer();
      const res = await head(app.url + path, headers);
      expect(res.status, `HEAD ${path}`).toBe(get.status);
      expect(res.bytes).toBe(0);
      expect(res.headers['content-type']).toBe(get.headers.get('content-type') ?? undefined);
      // /metrics changes between two scrapes; everything else answers the same representation.
      if (get.headers.get('etag') && route.template !== '/metrics') expect(res.headers.etag, path).toBe(get.headers.get('etag'));
    }
    // The public hot path, answered from the cache, and a 404.
    const url = `${app.url}/v1/instructors/${inst.id}/availability?from=2026-07-15&to=2026-07-15`;
    await fetch(url);
    expect((await head(url)).status).toBe(200);
    expect((await head(`${app.url}/v1/instructors/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('preflights advertise only the methods the path has; a plain OPTIONS answers Allow', async () => {
    const cases: [string, string][] = [
      ['/v1/instructors', 'GET, HEAD'],
      [`/v1/instructors/${inst.id}/availability`, 'GET, HEAD'],
      ['/v1/bookings', 'POST, GET, HEAD'],
      ['/v1/me/services/00000000-0000-4000-8000-000000000000', 'PATCH, DELETE'],
      ['/v1/auth/login', 'POST'],
    ];
    for (const [path, methods] of cases) {
      const res = await call(app, 'OPTIONS', path, { headers: { origin: 'https://partner.example', 'access-control-request-method': 'GET' } });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-methods')?.split(',').map((m) => m.trim()).sort()).toEqual(methods.split(', ').sort());
    }
    const plain = await call(app, 'OPTIONS', '/v1/me');
    expect(plain.status).toBe(204);
    expect(plain.headers.get('allow')?.split(', ').sort()).toEqual(['GET', 'HEAD', 'OPTIONS', 'PATCH']);
  });
});
