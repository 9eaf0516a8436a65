import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

// The SDK runs in browsers too, so its built import graph must not reach Node built-ins.
describe('the built package (npm test builds it first)', () => {
  const js = filesUnder(dist).filter((f) => f.endsWith('.js'));

  it('has an entry point and its declarations', () => {
    expect(js.map((f) => path.relative(dist, f))).toContain('index.js');
    expect(statSync(path.join(dist, 'index.d.ts')).isFile()).toBe(true);
  });

  it('imports no node: modules, uses no require() and no Node-only globals', () => {
    const offenders = js.flatMap((file) => {
      const source = readFileSync(file, 'utf8');
      const found = [
        /from\s+['"]node:/.test(source) && 'node: import',
        /import\(\s*['"]node:/.test(source) && 'node: dynamic import',
        /\brequire\(/.test(source) && 'require(',
        /\bprocess\.(env|versions|nextTick)\b/.test(source) && 'process',
        /\bBuffer\.\w/.test(source) && 'Buffer',
      ].filter(Boolean);
      return found.map((what) => `${path.relative(dist, file)}: ${what}`);
    });
    expect(offenders).toEqual([]);
  });

  it('imports only relative modules', () => {
    const bare = js.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)]
        .map((m) => m[1]!)
        .filter((spec) => !spec.startsWith('./') && !spec.startsWith('../'))
        .map((spec) => `${path.relative(dist, file)}: ${spec}`),
    );
    expect(bare).toEqual([]);
  });
});

describe('loading the package', () => {
  it('works with require() from CommonJS (Node >= 20.19 loads the ESM build synchronously)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const script = "const sdk = require('@instainstru/sdk'); console.log(typeof sdk.createClient, typeof sdk.paginate, typeof sdk.InstaInstruConnectionError, new sdk.InstaInstruError(404, { code: 'not_found' }).code)";
    const out = execFileSync(process.execPath, ['--no-warnings', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(out).toBe('function function function not_found\n');
  });
});
