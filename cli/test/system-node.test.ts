import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRoot } from './helpers.js';

// The tests run on the repository's pinned Node 24; a user's `instru` runs on whatever Node they have, as low as
// package.json's `engines.node`. These run the built binary on the machine's own Node (Debian's Node 20 here).

/** The machine's own Node, not the pinned one (node_modules/.bin): /usr/bin/node, else the first `node` on PATH outside node_modules, else the pinned one. */
function systemNode(): string {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir && !dir.split(path.sep).includes('node_modules'));
  const pinned = realpathSync(process.execPath);
  return ['/usr/bin/node', ...dirs.map((dir) => path.join(dir, 'node'))].find((file) => existsSync(file) && realpathSync(file) !== pinned) ?? process.execPath;
}

/** Whether `version` (x.y.z) meets `range`, which must be `>=MAJOR.MINOR` (so this test changes with the range's form). */
function satisfies(version: string, range: string): boolean {
  const floor = /^>=(\d+)\.(\d+)$/.exec(range);
  if (!floor) throw new Error(`engines.node "${range}" is not of the form >=MAJOR.MINOR: update this test`);
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const [wantMajor, wantMinor] = [Number(floor[1]), Number(floor[2])];
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

const node = systemNode();
const version = spawnSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).stdout.trim();
const engines = (JSON.parse(readFileSync(path.join(cliRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
const home = mkdtempSync(path.join(tmpdir(), 'instru-system-node-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const instru = (...args: string[]) =>
  spawnSync(node, [path.join(cliRoot, 'bin', 'run.js'), ...args], {
    env: { ...process.env, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home, XDG_DATA_HOME: home, INSTRU_TOKEN: '', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe(`the built CLI on the machine's own Node (${version}, ${node})`, () => {
  it(`is a Node that engines.node (${engines}) promises to run on`, () => {
    expect(satisfies(version, engines)).toBe(true);
  });

  it('instru --version and instru --help exit 0', () => {
    const v = instru('--version');
    expect(v.stderr).toBe('');
    expect(v.stdout).toContain(`@instainstru/cli/0.1.0 ${process.platform}-${process.arch} node-${version}`);
    expect(v.status).toBe(0);
    const help = instru('--help');
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^instru: manage an InstaInstru instructor's profile/);
    expect(help.stdout).toContain('bookings');
    expect(help.status).toBe(0);
  });

  it('loads its settings file (conf), the shell completion (plugin-autocomplete) and the "did you mean" (plugin-not-found)', () => {
    const where = instru('config', 'path');
    expect(where).toMatchObject({ status: 0, stderr: '', stdout: `${path.join(home, 'instainstru', 'config.json')}\n` });
    const completion = instru('autocomplete', 'bash');
    expect(completion.status).toBe(0);
    expect(completion.stdout).toContain('Setup Instructions for INSTRU CLI Autocomplete');
    const typo = instru('bookngs');
    expect(typo.stderr).toBe('Error: "bookngs" is not an instru command (command_not_found) Did you mean `instru book`? See `instru help`.\n');
    expect(typo.status).toBe(2);
  });

  it('loads the terminal screens its week editor and dashboard draw (ink, React)', () => {
    const screens = ['week-editor.js', 'dashboard-screen.js'].map((file) => pathToFileURL(path.join(cliRoot, 'dist', 'ui', file)).href);
    const r = spawnSync(node, ['--input-type=module', '-e', `for (const url of ${JSON.stringify(screens)}) console.log(Object.keys(await import(url)).length > 0)`], {
      encoding: 'utf8',
    });
    expect(r).toMatchObject({ status: 0, stderr: '', stdout: 'true\ntrue\n' });
  });
});
