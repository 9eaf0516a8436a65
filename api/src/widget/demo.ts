import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiKeyService } from '../accounts/api-keys.js';

/** What /demo embeds: the demo instructor and a publishable key bound to this server's origins. */
export interface DemoWidget {
  instructor_id: string;
  publishable_key: string;
  origins: string[];
}

const FILE = 'demo-widget.json';

/** The origins a browser may show this server under (both loopback names for a local start). */
export function demoOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const origins = [url.origin];
  if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') {
    for (const host of ['127.0.0.1', 'localhost']) origins.push(`${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
  }
  return [...new Set(origins)];
}

/** The demo widget of this data directory, if the demo data was seeded into it. */
export function readDemoWidget(dataDir: string): DemoWidget | null {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, FILE), 'utf8')) as DemoWidget;
  } catch {
    return null;
  }
}

/**
 * Makes sure the demo instructor has a publishable key for this server's origins (a new one when
 * the server now runs under another port) and keeps it in DATA_DIR for /demo. Publishable keys are
 * public by design, so keeping one in a file is fine; `instructorId` is given when demo data was just seeded.
 */
export async function ensureDemoWidget(apiKeys: ApiKeyService, dataDir: string, publicUrl: string, instructorId?: string): Promise<DemoWidget | null> {
  const existing = readDemoWidget(dataDir);
  const owner = instructorId ?? existing?.instructor_id;
  if (!owner) return null;
  const origins = demoOrigins(publicUrl);
  if (existing && existing.instructor_id === owner && origins.every((o) => existing.origins.includes(o))) return existing;
  const key = await apiKeys.create(owner, { name: 'Demo partner page (/demo)', type: 'publishable', allowed_origins: origins });
  const demo: DemoWidget = { instructor_id: owner, publishable_key: key.secret, origins };
  writeFileSync(path.join(dataDir, FILE), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}
