import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The widget's build output (`npm run build -w widget`; the root `npm install` runs it). */
export const WIDGET_DIST = fileURLToPath(new URL('../../../widget/dist/', import.meta.url));

/** The script and the queue stub; then come the content-hashed chunks widget.js imports itself (`chunk-<hash>.js`). */
export const WIDGET_ENTRIES = ['widget.js', 'stub.js'];
const CHUNK = /^chunk-[\w-]+\.js$/;

export interface WidgetAsset {
  name: string;
  body: Buffer;
  /** Subresource Integrity of the file (`sha384-<base64>`). */
  integrity: string;
  /** The same bytes compressed once at load, sent to browsers that accept them (every one does). */
  br: Buffer;
  gzip: Buffer;
}

/** Subresource Integrity value of some bytes. */
export function integrityOf(body: Buffer | string): string {
  return `sha384-${createHash('sha384').update(body).digest('base64')}`;
}

/** CSP source expression (`'sha256-…'`) allowing one inline script or style. */
export function cspHashOf(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** Reads the built widget files once; null while the widget has not been built. */
export function loadWidgetAssets(dir = WIDGET_DIST): Map<string, WidgetAsset> | null {
  try {
    const chunks = readdirSync(dir).filter((f) => CHUNK.test(f)).sort();
    return new Map(
      [...WIDGET_ENTRIES, ...chunks].map((name) => {
        const body = readFileSync(`${dir}${name}`);
        const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
        return [name, { name, body, integrity: integrityOf(body), br, gzip: gzipSync(body, { level: 9 }) }];
      }),
    );
  } catch {
    return null;
  }
}
