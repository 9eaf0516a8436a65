// Drift check: regenerates everything produced from openapi.yaml and fails when the
// result differs from what is committed (changed, deleted or untracked files under any
// `generated/` folder). Run by CI; run it locally before pushing a contract change.
// Also regenerates docs/cli.md from the built CLI's oclif manifest (`npm run readme -w cli`),
// so its headings and usage lines are oclif's real output.
import { spawnSync } from 'node:child_process';

const npm = spawnSync('npm', ['run', 'generate'], { stdio: 'inherit' });
if (npm.status !== 0) {
  console.error(`check:drift: "npm run generate" failed (exit ${npm.status ?? npm.signal}).`);
  process.exit(1);
}

// OCLIF_SKIP_NEW_VERSION_CHECK: no "oclif update available" line from the build tool (held at 4.x for Node 20).
const readme = spawnSync('npm', ['run', 'readme', '--silent', '-w', 'cli'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' },
});
if (readme.status !== 0) {
  console.error(`check:drift: "npm run readme -w cli" failed (exit ${readme.status ?? readme.signal}); build the CLI first (npm run build -w cli).`);
  process.exit(1);
}

const git = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { encoding: 'utf8' });
if (git.status !== 0) {
  console.error(`check:drift: "git status" failed:\n${git.stderr}`);
  process.exit(1);
}

// -z entries are "XY path"; a rename or copy is followed by its original path as its own entry.
const entries = git.stdout.split('\0').filter(Boolean);
const drifted = [];
for (let i = 0; i < entries.length; i++) {
  const entry = entries[i];
  const status = entry.slice(0, 2);
  const file = entry.slice(3);
  if (status[0] === 'R' || status[0] === 'C') i++;
  if (`/${file}`.includes('/generated/') || file === 'docs/cli.md') drifted.push(`  ${status} ${file}`);
}

if (drifted.length > 0) {
  console.error(
    [
      '',
      'check:drift: generated files differ from what is committed:',
      ...drifted,
      '',
      'Run `npm run generate` (and `npm run build -w cli && npm run readme -w cli` for docs/cli.md) and commit the result (never edit generated files by hand).',
    ].join('\n'),
  );
  process.exit(1);
}
console.log('check:drift: generated files match openapi.yaml.');
