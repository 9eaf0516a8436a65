// The npm package as a partner's bundler gets it: `npm pack` of the built widget (dist/ comes from
// `npm run build`, which the root `npm install` runs; `npm pack`/`npm publish` build first via
// prepack, skipped here so the test packs the build the other tests use), unpacked into a
// node_modules folder, resolved through its `exports` and imported.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// (happy-dom's URL is not Node's, so from the path string.)
const widgetDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Packed {
  filename: string;
  files: { path: string }[];
}

describe('the npm package @instainstru/widget', () => {
  let tmp: string;
  let packed: Packed;
  let installed: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ii-widget-pack-'));
    const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: widgetDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    packed = (JSON.parse(out) as Packed[])[0]!;
    const scope = path.join(tmp, 'node_modules', '@instainstru');
    mkdirSync(scope, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(tmp, packed.filename), '-C', scope]);
    installed = path.join(scope, 'widget');
    renameSync(path.join(scope, 'package'), installed);
  });
  // (fetch stays stubbed: the element's retry may come after the last test; the file's window goes with it.)
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('holds the built files, their types, the README and nothing else', () => {
    const files = packed.files.map((f) => f.path).sort();
    const chunks = files.filter((f) => /^dist\/chunk-[\w-]+\.js$/.test(f));
    expect(chunks.length).toBeGreaterThanOrEqual(1);
    expect(files).toEqual(['README.md', ...chunks, 'dist/stub.js', 'dist/widget.d.ts', 'dist/widget.js', 'package.json'].sort());
    // Every chunk widget.js loads later (the pay step, the confirmation) is in the package.
    const imported = [...readFileSync(path.join(installed, 'dist/widget.js'), 'utf8').matchAll(/import\(["'`]\.\/(chunk-[\w-]+\.js)["'`]\)/g)].map((m) => `dist/${m[1]}`);
    expect(imported.length).toBeGreaterThanOrEqual(1);
    expect(chunks).toEqual(expect.arrayContaining(imported));
  });

  it('is publishable: not private, no runtime dependencies (Preact and the SDK are bundled), built before packing', () => {
    const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.private).toBeUndefined();
    expect([pkg.name, pkg.dependencies, pkg.peerDependencies, pkg.types]).toEqual(['@instainstru/widget', undefined, undefined, './dist/widget.d.ts']);
    expect((pkg.scripts as Record<string, string>).prepack).toBe('npm run build');
    expect(readFileSync(path.join(installed, 'README.md'), 'utf8')).toMatch(/^# @instainstru\/widget\n/);
  });

  it('resolves through its exports, and importing the entry defines <instainstru-booking> and InstaInstru()', async () => {
    const require = createRequire(path.join(tmp, 'page.js'));
    const entry = require.resolve('@instainstru/widget');
    expect(entry).toBe(path.join(installed, 'dist/widget.js'));
    expect(readFileSync(require.resolve('@instainstru/widget/stub.js'), 'utf8')).toMatch(/InstaInstru/);
    expect(readFileSync(path.join(installed, 'dist/widget.d.ts'), 'utf8')).toMatch(/'instainstru-booking': HTMLElement/);
    // No API here: the element's first request fails fast.
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
    expect(customElements.get('instainstru-booking')).toBeUndefined();
    await import(/* @vite-ignore */ entry);
    expect(customElements.get('instainstru-booking')).toBeTypeOf('function');
    expect(typeof window.InstaInstru).toBe('function');
    document.body.innerHTML = '<instainstru-booking instructor="i-1"></instainstru-booking>';
    expect(document.querySelector('instainstru-booking')!.shadowRoot!.adoptedStyleSheets).toHaveLength(1);
  });
});
