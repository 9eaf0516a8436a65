import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadProcessConfig } from '../src/platform/config.js';

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

it('reads an optional .env file, and the real environment wins over it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ii-env-'));
  const file = path.join(dir, '.env');
  writeFileSync(file, `PORT=9123\nLOG_LEVEL=debug\nDATA_DIR=${dir}\nJWT_SECRET=a-secret-from-the-env-file-of-32-chars\n`);
  process.env.LOG_LEVEL = 'warn';
  delete process.env.PORT;
  const config = loadProcessConfig(file);
  expect(config.port).toBe(9123);
  expect(config.logLevel).toBe('warn');
  expect(config.jwtSecret).toBe('a-secret-from-the-env-file-of-32-chars');
  rmSync(dir, { recursive: true, force: true });
});

it('works without a .env file', () => {
  expect(loadProcessConfig('/nonexistent/.env').port).toBeTypeOf('number');
});
