import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Router } from 'express';

const require = createRequire(import.meta.url);
const swaggerUiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));

const DOCS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>InstaInstru API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js'];

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#swagger-ui', deepLinking: true });`;

interface Health {
  /** Resolves with each dependency's state. */
  check(): Promise<Record<string, 'ok' | 'error' | 'not_configured'>>;
}

/** Health, readiness, the contract and its rendered reference (assets from npm, no CDN). */
export function opsRoutes(specPath: string, health: Health): Router {
  const spec = readFileSync(specPath, 'utf8');
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const checks = await health.check();
    const ok = Object.values(checks).every((v) => v !== 'error');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'error', checks });
  });
  r.get('/openapi.yaml', (_req, res) => {
    res.type('text/yaml').send(spec);
  });
  r.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_HTML);
  });
  r.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(DOCS_INIT);
  });
  // Only the two files the page above loads; the rest of the package (README, package.json, ...) stays private.
  for (const asset of DOCS_ASSETS) {
    r.get(`/docs/assets/${asset}`, (_req, res) => {
      res.sendFile(path.join(swaggerUiDir, asset), { maxAge: '1d' });
    });
  }
  return r;
}
