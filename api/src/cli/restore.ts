// `npm run restore -- FILE [--force [--yes]]`: restores a backup made by `npm run backup` into
// the database in DATABASE_URL. An empty database is filled; a non-empty one is replaced only
// with --force, after typing its name at a prompt (or with --yes where there is no terminal).
import '../platform/node-version.js';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadProcessConfig } from '../platform/config.js';
import { describeTarget, restoreBackup, RestoreRefused } from '../backups/restore.js';

const USAGE = `Usage: npm run restore -- <backup file> [--force] [--yes]
  Restores into the database in DATABASE_URL, which must be empty.
  --force  replace a database that is not empty (asks for confirmation)
  --yes    confirm --force without a prompt (for scripts; required when stdin is not a terminal)
Stop every API instance that uses the database first.`;

function fail(message: string, code = 1): never {
  console.error(`restore: ${message}`);
  process.exit(code);
}

let parsed: { values: { force?: boolean; yes?: boolean; help?: boolean }; positionals: string[] };
try {
  parsed = parseArgs({ options: { force: { type: 'boolean' }, yes: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) fail(`give exactly one backup file\n${USAGE}`, 2);
const file = positionals[0]!;

/** Asks the operator to type the database's name; only a terminal can answer. */
async function confirm(target: string): Promise<boolean> {
  if (values.yes) return true;
  if (!process.stdin.isTTY) {
    throw new RestoreRefused(`${target} is not empty and --force needs a confirmation, but stdin is not a terminal. Add --yes to replace it without a prompt.`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`This replaces every row of ${target} with the backup. Type "replace" to go on: `);
    return answer.trim() === 'replace';
  } finally {
    rl.close();
  }
}

try {
  const config = loadProcessConfig();
  const target = describeTarget(config.databaseUrl);
  const started = performance.now();
  console.error(`restore: ${file} -> ${target}`);
  const result = await restoreBackup({
    file,
    targetUrl: config.databaseUrl,
    force: values.force ?? false,
    confirm: () => confirm(target),
    progress: (step) => console.error(`restore: ${step}`),
  });
  const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
  console.log(`Restored ${file}
  into:       ${target}${result.replaced ? ' (replaced)' : ''}
  backup of:  ${result.manifest.created_at}, schema ${result.manifest.schema_version}
  checked:    integrity ok, ${rows} rows in ${Object.keys(result.tables).length} tables match the manifest
  migrated:   ${result.migrated.length ? result.migrated.join(', ') : 'nothing pending'}
  took:       ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message, 2);
  if (err instanceof RestoreRefused) fail(`refused: ${err.message}`, 3);
  fail(`failed: ${err instanceof Error ? err.message : String(err)}`);
}
