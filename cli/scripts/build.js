// Builds the CLI: the SDK first when its dist/ is missing, then tsc into dist/, then the oclif manifest.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('..', import.meta.url));
const sdk = fileURLToPath(new URL('../../sdk/', import.meta.url));
// OCLIF_SKIP_NEW_VERSION_CHECK: oclif (the build tool, held at 4.x for Node 20) would otherwise say on every build that oclif 6 is out.
const env = { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' };
const run = (command, args, cwd = cli) => execFileSync(command, args, { cwd, env, stdio: 'inherit', shell: process.platform === 'win32' });

if (!existsSync(`${sdk}dist/index.js`)) run('npm', ['run', 'build'], sdk);
rmSync(`${cli}dist`, { recursive: true, force: true });
run('tsc', ['-p', 'tsconfig.build.json']);
run('oclif', ['manifest']);

// oclif writes commands in the order it happened to load them: sort them so the committed manifest is stable.
const manifestFile = `${cli}oclif.manifest.json`;
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
manifest.commands = Object.fromEntries(Object.entries(manifest.commands).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
