// `npm run backup`: a consistent backup of the database in DATABASE_URL, taken while the API
// runs, into BACKUP_DIR (default DATA_DIR/backups), with a manifest beside it.
import '../platform/node-version.js';
import { parseArgs } from 'node:util';
import { ConfigError, loadProcessConfig } from '../platform/config.js';
import { openDb } from '../platform/db.js';
import { createBackup } from '../backups/backup.js';
import { describeTarget } from '../backups/restore.js';
import { requireExistingDatabase } from './existing-database.js';

const USAGE = 'Usage: npm run backup [-- --dir <directory>]\nBacks up the database in DATABASE_URL into --dir (default BACKUP_DIR, else DATA_DIR/backups).';

function fail(message: string, code = 1): never {
  console.error(`backup: ${message}`);
  process.exit(code);
}

let args: { dir?: string; help?: boolean };
try {
  args = parseArgs({ options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

try {
  const config = loadProcessConfig();
  const url = config.databaseUrl;
  requireExistingDatabase(url, fail);
  const dir = args.dir ?? config.backupDir;
  const started = performance.now();
  const now = new Date();
  const db = await openDb(url);
  try {
    console.error(`backup: ${describeTarget(url)} -> ${dir}`);
    const { file, manifestFile, manifest } = await createBackup({ db, databaseUrl: url, dir, now, progress: (step) => console.error(`backup: ${step}`) });
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    console.log(`Backup written: ${file}
  manifest:  ${manifestFile}
  schema:    ${manifest.schema_version}
  size:      ${manifest.size} bytes, sha256 ${manifest.sha256}
  rows:      ${rows} in ${Object.keys(manifest.tables).length} tables
  took:      ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
} catch (err) {
  if (err instanceof ConfigError) fail(err.message, 2);
  fail(`failed: ${err instanceof Error ? err.message : String(err)}`);
}
