// Builds the CLI: the SDK first when its dist/ is missing, then tsc into dist/, then the oclif manifest.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('..', import.meta.url));
const sdk = fileURLToPath(new URL('../../sdk/', import.meta.url));
const run = (command, args, cwd = cli) => execFileSync(command, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });

if (!existsSync(`${sdk}dist/index.js`)) run('npm', ['run', 'build'], sdk);
rmSync(`${cli}dist`, { recursive: true, force: true });
run('tsc', ['-p', 'tsconfig.build.json']);
run('oclif', ['manifest']);
