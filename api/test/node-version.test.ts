import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRED_NODE_MAJOR } from '../src/platform/node-version.js';

const apiDir = path.resolve(import.meta.dirname, '..');
const root = path.resolve(apiDir, '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'ii-node-version-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const majorOf = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

/** The machine's own Node, not the pinned one (node_modules/.bin) that runs the tests: /usr/bin/node, else the first `node` on PATH outside node_modules. */
function systemNode(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir && !dir.split(path.sep).includes('node_modules'));
  const pinned = realpathSync(process.execPath);
  return ['/usr/bin/node', ...dirs.map((dir) => path.join(dir, 'node'))].find((file) => existsSync(file) && realpathSync(file) !== pinned);
}

function versionOf(node: string): string {
  return spawnSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim();
}

// A real Node of another major when the machine has one (Debian's Node 20 here); on a machine whose only
// Node is 24, the pinned Node told by a preload that it is 26 (a newer major is refused too), so the refusal is checked on every machine.
const other = systemNode();
const otherVersion = other ? versionOf(other) : '';
const wrong =
  other && majorOf(otherVersion) !== REQUIRED_NODE_MAJOR
    ? { node: other, preload: [] as string[], version: otherVersion }
    : {
        node: process.execPath,
        preload: ['--import', 'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"26.0.0"}});Object.defineProperty(process,"version",{value:"v26.0.0"});'],
        version: 'v26.0.0',
      };

describe(`the API on a Node other than ${REQUIRED_NODE_MAJOR}`, () => {
  it(`refuses to start with one line naming the fix and exit 1, before touching the database (${wrong.version}, ${wrong.node})`, () => {
    const r = spawnSync(wrong.node, [...wrong.preload, '--import', 'tsx', 'src/main.ts'], {
      cwd: apiDir,
      env: { ...process.env, PORT: '0', DATA_DIR: path.join(dataDir, 'data'), DATABASE_URL: '', SEED_DEMO: 'false', REDIS_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `Error: the InstaInstru API runs on Node ${REQUIRED_NODE_MAJOR}, not ${wrong.version} (${wrong.node}). Start it through npm (npm start, npm run migrate, ...): npm scripts run the Node ${REQUIRED_NODE_MAJOR} that npm install puts in node_modules/.bin.\n`,
    );
    expect(r.status).toBe(1);
    expect(existsSync(path.join(dataDir, 'data'))).toBe(false);
  });

  it('the ops commands refuse too (npm run migrate)', () => {
    const r = spawnSync(wrong.node, [...wrong.preload, '--import', 'tsx', 'src/cli/migrate.ts'], {
      cwd: apiDir,
      env: { ...process.env, DATA_DIR: path.join(dataDir, 'data'), DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toMatch(new RegExp(`^Error: the InstaInstru API runs on Node ${REQUIRED_NODE_MAJOR}, not ${wrong.version.replaceAll('.', '\\.')} `));
    expect(r.status).toBe(1);
    expect(existsSync(path.join(dataDir, 'data'))).toBe(false);
  });

  it(`is the Node the root pins: engines.node and the node devDependency are Node ${REQUIRED_NODE_MAJOR}, and the tests run on it`, () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string }; devDependencies: { node: string } };
    expect(pkg.engines.node).toBe(`>=${REQUIRED_NODE_MAJOR} <${REQUIRED_NODE_MAJOR + 1}`);
    expect(pkg.devDependencies.node).toMatch(new RegExp(`^\\^${REQUIRED_NODE_MAJOR}\\.`));
    expect(majorOf(process.version)).toBe(REQUIRED_NODE_MAJOR);
  });
});
