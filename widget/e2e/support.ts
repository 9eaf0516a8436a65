import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** Debian's Chromium (scripts/install-chromium.sh); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Chromium with a fresh profile (its own --user-data-dir, removed at close). */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'ii-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    timezoneId: 'America/New_York',
    locale: 'en-US',
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/** CSS a careless or hostile partner site might have: it must change nothing inside the widget. */
export const HOSTILE_CSS = `body *{all:unset !important;font:40px/3 "Comic Sans MS",cursive !important;color:red !important;background:lime !important}
button,select,input,label{display:none !important}h2,h3,p,dl,ul,li{visibility:hidden !important}
:root{--ii-radius:0}`;

const PARTNER_JS = `window.__events=[];window.__violations=[];
document.addEventListener('securitypolicyviolation',function(e){window.__violations.push(e.violatedDirective+' '+e.blockedURI)});
['ready','booked','error'].forEach(function(n){InstaInstru('on',n,function(d){window.__events.push({name:n,detail:d})})});`;

/**
 * A partner site on its own origin: strict CSP (no 'unsafe-inline' anywhere; the stub and the page CSS
 * allowed by hash), hostile CSS, the script tag with its integrity hash, and the element.
 */
export async function startPartnerSite(opts: { api: string; instructor: string; publishableKey: string; stub: string; integrity: string; chunks?: Record<string, string>; port?: number }): Promise<{ url: string; origin: string; close: () => Promise<void> }> {
  // The chunks' hashes in an import map (HTML's import-map `integrity`), so the browser checks them too;
  // /tampered serves the page with wrong ones.
  const importMap = (chunks: Record<string, string>) => JSON.stringify({ integrity: chunks });
  const good = opts.chunks ? importMap(opts.chunks) : '';
  const bad = opts.chunks ? importMap(Object.fromEntries(Object.keys(opts.chunks).map((url) => [url, `sha384-${createHash('sha384').update('tampered').digest('base64')}`]))) : '';
  const csp = (map: string) => [
    "default-src 'none'",
    `script-src 'self' ${opts.api} ${sha256(opts.stub)}${map ? ` ${sha256(map)}` : ''}`,
    `connect-src ${opts.api}`,
    `style-src ${sha256(HOSTILE_CSS)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const html = (map: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Yoga Loft: book a class</title>
<style>${HOSTILE_CSS}</style>
${map ? `<script type="importmap">${map}</script>\n` : ''}<script>${opts.stub}</script>
<script src="/partner.js"></script>
<script src="${opts.api}/widget/v1/widget.js" type="module" async integrity="${opts.integrity}" crossorigin="anonymous"></script>
</head><body><header><h1>Yoga Loft</h1></header><main>
<instainstru-booking instructor="${opts.instructor}" publishable-key="${opts.publishableKey}"></instainstru-booking>
</main></body></html>`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/partner.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(PARTNER_JS);
      return;
    }
    const map = req.url === '/tampered' ? bad : good;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp(map) }).end(html(map));
  }).listen(opts.port ?? 0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${origin}/`, origin, close: () => new Promise((r) => server.close(() => r())) };
}

/** A file of the built widget (dist/). */
export function widgetFile(name: string): string {
  return readFileSync(new URL(`../dist/${name}`, import.meta.url), 'utf8');
}

/** axe-core on the widget (its shadow root included): the violations, in a form a failure message can show. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('instainstru-booking').analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export const SHOTS_DIR = new URL('../../docs/widget/', import.meta.url);

/** Screenshots of the widget at this step: light and dark, 1280 and 360 px wide (docs/widget/). */
export async function screenshots(page: Page, step: string): Promise<void> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  for (const width of [1280, 360]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme });
      await page.locator('instainstru-booking').screenshot({ path: new URL(`${step}-${colorScheme}-${width}.png`, SHOTS_DIR).pathname, animations: 'disabled' });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
}
