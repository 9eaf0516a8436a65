// Root `npm install` hook: builds the SDK, the CLI (so `npx instru` works right after install) and the
// booking widget (which the API serves at /widget/v1/widget.js).
// Offline (tsc and oclif from node_modules), a few seconds; a failure warns instead of failing the install.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
try {
  for (const workspace of ['sdk', 'cli', 'widget']) execFileSync('npm', ['run', 'build', '--silent', '-w', workspace], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
} catch {
  console.warn('\nWarning: building the SDK, CLI or widget failed (see above); run `npm run build -w sdk && npm run build -w cli && npm run build -w widget`.\n');
}
