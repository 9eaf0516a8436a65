import { Router, type Response } from 'express';
import { AppError } from '../platform/errors.js';
import { loadWidgetAssets, type WidgetAsset } from './assets.js';
import { DEMO_SCRIPT, demoCsp, demoPage } from './demo-page.js';
import type { DemoWidget } from './demo.js';

/**
 * A year. The chunks' names are content hashes, so their bytes never change; widget.js and stub.js keep
 * their URL (only the major version) across builds, so a new build changes the bytes behind it (docs/widget.md, Integrity).
 */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The widget's script, stub and manifest under a versioned immutable URL, and the demo partner page. */
export function widgetRoutes({ demo, dir }: { demo: () => DemoWidget | null; dir?: string }): Router {
  let assets: Map<string, WidgetAsset> | null = null;
  const load = () => (assets ??= loadWidgetAssets(dir));
  const built = () => {
    const found = load();
    if (!found) throw new AppError('service_unavailable', 'The widget has not been built: run `npm run build -w widget` (the root `npm install` does it).');
    return found;
  };
  /** Any site may load these: module scripts are fetched with CORS, and helmet's CORP default would block them. */
  const crossOrigin = (res: Response) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
  };
  const r = Router();
  r.get('/widget/v1/:file.js', (req, res, next) => {
    const asset = built().get(`${String(req.params.file)}.js`);
    if (!asset) return next();
    crossOrigin(res);
    res.setHeader('Cache-Control', IMMUTABLE);
    // Compressed once at load (the 15 kB budget is the gzip size): brotli, else gzip, else the bytes.
    // (Negotiation alone follows the browser's listed order, and browsers list gzip first.)
    const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip', 'identity') === 'gzip' ? 'gzip' : null;
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('ETag', `"${asset.integrity.slice(7, 39)}${encoding ? `-${encoding}` : ''}"`);
    if (encoding) res.setHeader('Content-Encoding', encoding);
    res.type('text/javascript').send(encoding ? asset[encoding] : asset.body);
  });
  r.get('/widget/v1/manifest.json', (_req, res) => {
    crossOrigin(res);
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json({ version: 'v1', files: [...built().values()].map((a) => ({ name: a.name, url: `/widget/v1/${a.name}`, bytes: a.body.length, integrity: a.integrity })) });
  });
  r.get('/demo', (_req, res) => {
    const widget = demo();
    if (!widget) throw new AppError('not_found', 'The demo page needs the demo data: start on a new embedded database with `npm start` (SEED_DEMO=true).');
    res.setHeader('Content-Security-Policy', demoCsp());
    res.type('html').send(demoPage(widget));
  });
  r.get('/demo/demo.js', (_req, res) => {
    res.type('text/javascript').send(DEMO_SCRIPT);
  });
  return r;
}
