import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Each ```ts block of docs/sdk.md is its own module, compiled with tsc --strict against the SDK's source.
describe('docs/sdk.md', () => {
  it('has examples that compile under tsc --strict', () => {
    const blocks = [...readFileSync(path.join(root, 'docs/sdk.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    const dir = mkdtempSync(path.join(tmpdir(), 'sdk-docs-'));
    try {
      const files = blocks.map((code, i) => {
        const file = path.join(dir, `example-${i + 1}.ts`);
        writeFileSync(file, code);
        return file;
      });
      writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            target: 'ES2023',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2023', 'DOM', 'DOM.Iterable'],
            types: ['node'],
            typeRoots: [path.join(root, 'node_modules/@types')],
            skipLibCheck: true,
            paths: { '@instainstru/sdk': [path.join(root, 'sdk/src/index.ts')], '@instainstru/sdk/light': [path.join(root, 'sdk/src/light.ts')] },
          },
          files,
        }),
      );
      const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
      let output = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      expect(output.replaceAll(dir, '')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
