import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The widget's build output (`npm run build -w widget`; the root `npm install` runs it). */
export const WIDGET_DIST = fileURLToPath(new URL('../../../widget/dist/', import.meta.url));

/** The files served under /widget/v1/, in the order the manifest lists them. */
export const WIDGET_FILES = ['widget.js', 'stub.js'] as const;
export type WidgetFile = (typeof WIDGET_FILES)[number];

export interface WidgetAsset {
  name: WidgetFile;
  body: Buffer;
  /** Subresource Integrity of the file (`sha384-<base64>`). */
  integrity: string;
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
export function loadWidgetAssets(dir = WIDGET_DIST): Map<WidgetFile, WidgetAsset> | null {
  try {
    return new Map(
      WIDGET_FILES.map((name) => {
        const body = readFileSync(`${dir}${name}`);
        return [name, { name, body, integrity: integrityOf(body) }];
      }),
    );
  } catch {
    return null;
  }
}
