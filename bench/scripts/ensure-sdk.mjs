// The bench drives the API through @instainstru/sdk: build it once when its output is missing.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
if (!existsSync(`${root}/sdk/dist/index.js`)) {
  console.error('bench: building the SDK first (npm run build -w sdk)');
  execSync('npm run build -w sdk', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
