import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import path from 'node:path';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';
import { addDays } from '../src/platform/time.js';
import { STUB_SNIPPET } from '../src/widget/demo-page.js';

const SITE = 'https://music-school.example';
const OTHER = 'https://elsewhere.example';
const DATE = addDays('2026-07-01', 7);

describe('booking widget: partner origins, booking source, the script and the demo page', () => {
  let app: TestApp;
  let inst: Awaited<ReturnType<typeof publishedInstructor>>;
  let pk: { id: string; secret: string };

  beforeAll(async () => {
    app = await startTestApp();
    inst = await publishedInstructor(app, { days: [{ date: DATE, ranges: [{ start_time: '09:00', end_time: '17:00' }] }] });
    const created = await call(app, 'POST', '/v1/me/api-keys', { token: inst.token, body: { name: 'School site', type: 'publishable', allowed_origins: [SITE] } });
    expect(created.status).toBe(201);
    pk = created.body;
  });
  afterAll(() => app?.close());

  const lesson = (start_time: string) => ({ instructor_id: inst.id, service_id: inst.serviceId, date: DATE, start_time, duration_minutes: 60, location_type: 'online' });

  it('answers CORS preflights of the widget endpoints for a partner origin only', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const p of ['/v1/bookings', `/v1/bookings/${id}`, `/v1/bookings/${id}/confirm-payment`, '/v1/auth/login', '/v1/auth/register', '/v1/auth/refresh', '/v1/me/payment-methods', '/v1/me/payment-methods/setup', `/v1/me/payment-methods/pm_x`]) {
      const res = await fetch(`${app.url}${p}`, { method: 'OPTIONS', headers: { origin: SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-publishable-key' } });
      expect(res.status, p).toBe(204);
      expect(res.headers.get('access-control-allow-origin'), p).toBe(SITE);
      expect(res.headers.get('access-control-allow-credentials'), p).toBeNull();
      expect(res.headers.get('access-control-allow-headers'), p).toContain('x-publishable-key');
    }
    const stranger = await fetch(`${app.url}/v1/bookings`, { method: 'OPTIONS', headers: { origin: OTHER, 'access-control-request-method': 'POST' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    // Not what the widget does: no CORS for cancelling, even for the partner.
    const cancel = await fetch(`${app.url}/v1/bookings/${id}/cancel`, { method: 'OPTIONS', headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    expect(cancel.headers.get('access-control-allow-origin')).toBeNull();
    // Not a widget endpoint: no CORS even for the partner.
    const keys = await fetch(`${app.url}/v1/me/api-keys`, { method: 'OPTIONS', headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    expect(keys.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('records source {kind: "widget", key_id} on a booking made with the publishable key, api otherwise', async () => {
    const student = await registerUser(app, 'student');
    const viaWidget = await call(app, 'POST', '/v1/bookings', { token: student.token, headers: { origin: SITE, 'x-publishable-key': pk.secret }, body: lesson('09:00') });
    expect(viaWidget.status).toBe(201);
    expect(viaWidget.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(viaWidget.body.source).toEqual({ kind: 'widget', key_id: pk.id });
    const seenByOwner = await call(app, 'GET', `/v1/bookings/${viaWidget.body.id}`, { token: inst.token });
    expect(seenByOwner.body.source).toEqual({ kind: 'widget', key_id: pk.id });
    const direct = await call(app, 'POST', '/v1/bookings', { token: student.token, body: lesson('11:00') });
    expect(direct.status).toBe(201);
    expect(direct.body.source).toEqual({ kind: 'api' });
  });

  it('refuses the publishable key from another origin (403) and a revoked one (401), before booking anything', async () => {
    const student = await registerUser(app, 'student');
    const wrong = await call(app, 'POST', '/v1/bookings', { token: student.token, headers: { origin: OTHER, 'x-publishable-key': pk.secret }, body: lesson('13:00') });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('origin_not_allowed');
    const login = await call(app, 'POST', '/v1/auth/login', { headers: { 'x-publishable-key': pk.secret }, body: { email: student.email, password: 'a-long-password-1' } });
    expect(login.body.code).toBe('origin_not_allowed');
    const secret = await call(app, 'POST', '/v1/me/api-keys', { token: inst.token, body: { name: 'script' } });
    const notPublishable = await call(app, 'POST', '/v1/bookings', { token: student.token, headers: { origin: SITE, 'x-publishable-key': secret.body.secret }, body: lesson('13:00') });
    expect(notPublishable.status).toBe(401);
    const spare = await call(app, 'POST', '/v1/me/api-keys', { token: inst.token, body: { name: 'old site', type: 'publishable', allowed_origins: ['https://old.example'] } });
    expect((await call(app, 'DELETE', `/v1/me/api-keys/${spare.body.id}`, { token: inst.token })).status).toBe(204);
    const revoked = await call(app, 'POST', '/v1/bookings', { token: student.token, headers: { origin: 'https://old.example', 'x-publishable-key': spare.body.secret }, body: lesson('13:00') });
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('unauthenticated');
    // The revoked key's origin is no partner any more: its preflights get no CORS answer.
    const pre = await fetch(`${app.url}/v1/bookings`, { method: 'OPTIONS', headers: { origin: 'https://old.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const mine = await call(app, 'GET', '/v1/bookings', { token: student.token });
    expect(mine.body.data).toEqual([]);
  });

  it('takes the key on a same-origin GET (no Origin header, Sec-Fetch-Site: same-origin) from a page on this server only', async () => {
    // The demo page at /demo is served by the API itself: its GETs carry no Origin header.
    const own = await call(app, 'POST', '/v1/me/api-keys', { token: inst.token, body: { name: 'Demo page', type: 'publishable', allowed_origins: [app.url] } });
    const student = await registerUser(app, 'student');
    const cards = (headers: Record<string, string>) => call(app, 'GET', '/v1/me/payment-methods', { token: student.token, headers: { 'x-publishable-key': own.body.secret, ...headers } });
    expect((await cards({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // Without a browser's word that the page is this server's, or from a page elsewhere: refused.
    const refused: Record<string, string>[] = [{}, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': 'same-origin', origin: OTHER }];
    for (const headers of refused) {
      const res = await cards(headers);
      expect([res.status, res.body.code], JSON.stringify(headers)).toEqual([403, 'origin_not_allowed']);
    }
    // The school's key (another origin) is not good from this server's own pages.
    const school = await call(app, 'GET', '/v1/me/payment-methods', { token: student.token, headers: { 'x-publishable-key': pk.secret, 'sec-fetch-site': 'same-origin' } });
    expect([school.status, school.body.code]).toEqual([403, 'origin_not_allowed']);
  });

  it('serves the widget and its stub immutable, loadable from any site, with the integrity hashes in the manifest', async () => {
    const manifest = await call(app, 'GET', '/widget/v1/manifest.json');
    expect(manifest.status).toBe(200);
    const names = manifest.body.files.map((f: { name: string }) => f.name);
    expect(names.slice(0, 2)).toEqual(['widget.js', 'stub.js']);
    // The after-booking chunk widget.js imports by its content-hashed name.
    expect(names.slice(2).every((n: string) => /^chunk-[\w-]+\.js$/.test(n))).toBe(true);
    expect(names.length).toBeGreaterThan(2);
    for (const file of manifest.body.files) {
      const res = await fetch(`${app.url}${file.url}`, { headers: { origin: SITE } });
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
      expect(file.integrity).toBe(`sha384-${createHash('sha384').update(body).digest('base64')}`);
      expect(file.bytes).toBe(body.length);
      // The demo page inlines the same stub that docs/widget.md shows and stub.js serves.
      if (file.name === 'stub.js') expect(body.toString('utf8').trim()).toBe(STUB_SNIPPET);
    }
  });

  it('sends widget.js compressed (brotli, else gzip) to browsers that accept it, the same bytes once decompressed', async () => {
    const raw = (encoding: string) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        get(`${app.url}/widget/v1/widget.js`, { headers: { 'accept-encoding': encoding } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        }).on('error', reject);
      });
    const plain = await raw('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await raw('gzip, deflate, br');
    const gz = await raw('gzip');
    expect([br.headers['content-encoding'], gz.headers['content-encoding']]).toEqual(['br', 'gzip']);
    for (const r of [plain, br, gz]) expect(r.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    // The budget is 15 kB gzip (widget/.size-limit.json): what a partner's visitor downloads.
    expect(gz.body.length).toBeLessThanOrEqual(15_000);
    expect(br.body.length).toBeLessThan(gz.body.length);
    // One ETag per encoding, so a cache never answers a gzip request with brotli bytes.
    expect(new Set([plain, br, gz].map((r) => r.headers.etag)).size).toBe(3);
  });

  it('answers 404 for other files under /widget/v1/', async () => {
    for (const p of ['/widget/v1/nothing.js', '/widget/v1/../package.json', '/widget/v1/stub.js.map']) {
      const res = await call(app, 'GET', p);
      expect(res.status, p).toBe(404);
    }
  });

  it('serves /demo only when the demo data exists, under a strict CSP', async () => {
    const missing = await call(app, 'GET', '/demo');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    writeFileSync(path.join(path.dirname(app.outboxDir), 'demo-widget.json'), JSON.stringify({ instructor_id: inst.id, publishable_key: pk.secret, origins: [SITE] }));
    const page = await fetch(`${app.url}/demo`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(`<instainstru-booking instructor="${inst.id}" publishable-key="${pk.secret}">`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });
});
