import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { call, startTestApp, type TestApp } from './harness.js';

describe('ops', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('/healthz is 200 ok', async () => {
    const res = await call(app, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 with the database check ok', async () => {
    const res = await call(app, 'GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.checks.database).toBe('ok');
  });

  it('/openapi.yaml serves the contract as YAML', async () => {
    const res = await call(app, 'GET', '/openapi.yaml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/yaml/);
    const spec = parse(res.body as string);
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.paths['/v1/auth/register']).toBeDefined();
  });

  it('/docs serves HTML that loads swagger-ui from /docs/assets, and the assets are served', async () => {
    const res = await call(app, 'GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.body).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(res.body).not.toMatch(/https?:\/\/(unpkg|cdn|cdnjs)/);
    const bundle = await fetch(`${app.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const css = await fetch(`${app.url}/docs/assets/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    const init = await fetch(`${app.url}/docs/init.js`);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('/openapi.yaml');
  });

  it('does not serve files outside the swagger-ui assets', async () => {
    const res = await fetch(`${app.url}/docs/assets/..%2f..%2fpackage.json`);
    expect(res.status).toBe(404);
    const listing = await fetch(`${app.url}/docs/assets/`);
    expect(listing.status).toBe(404);
  });

  it('sends security headers and no X-Powered-By', async () => {
    const res = await call(app, 'GET', '/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const error = await call(app, 'GET', '/nope');
    expect(error.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('echoes X-Request-Id, and makes one up when missing or unsafe', async () => {
    const echoed = await call(app, 'GET', '/healthz', { headers: { 'x-request-id': 'my-trace.42' } });
    expect(echoed.headers.get('x-request-id')).toBe('my-trace.42');
    const onError = await call(app, 'GET', '/nope', { headers: { 'x-request-id': 'trace-on-error' } });
    expect(onError.headers.get('x-request-id')).toBe('trace-on-error');
    const made = await call(app, 'GET', '/healthz');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await call(app, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id <script>' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets any site read the public endpoints (CORS), without credentials', async () => {
    const res = await call(app, 'GET', '/v1/instructors', { headers: { origin: 'https://partner.example.com' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example.com');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const me = await call(app, 'GET', '/v1/me', { headers: { origin: 'https://partner.example.com' } });
    expect(me.headers.get('access-control-allow-origin')).toBeNull();
  });
});
