// Root `npm install` hook: builds the SDK and the CLI so `npx instru` works right after install.
// Offline (tsc and oclif from node_modules), a few seconds; a failure warns instead of failing the install.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
try {
  for (const workspace of ['sdk', 'cli']) execFileSync('npm', ['run', 'build', '--silent', '-w', workspace], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
} catch {
  console.warn('\nWarning: building the SDK and CLI failed (see above); `npx instru` will not work until `npm run build -w sdk && npm run build -w cli` succeeds.\n');
}
