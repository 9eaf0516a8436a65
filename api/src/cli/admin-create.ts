// `npm run admin:create -- --email a@b.c --name "Ada Admin"`: creates an admin account.
// The password comes from ADMIN_PASSWORD or, on a terminal, from a prompt without echo;
// it is never a flag, so it stays out of shell history and process lists.
import '../platform/node-version.js';
import { parseArgs } from 'node:util';
import { UniqueConstraintError } from 'sequelize';
import { ConfigError, loadProcessConfig } from '../platform/config.js';
import { openDb } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { checkPasswordPolicy, hashPassword } from '../platform/passwords.js';
import { canonicalTimezone, isValidTimezone } from '../platform/time.js';
import { normalizeEmail } from '../accounts/service.js';
import { accountRepository } from '../accounts/repository.js';
import { readHiddenLine } from './prompt.js';
import { requireExistingDatabase } from './existing-database.js';
import { migrate } from '../migrations/index.js';

const USAGE = 'Usage: npm run admin:create -- --email <email> --name <full name> [--timezone <IANA zone>]\n' +
  'The password is read from ADMIN_PASSWORD, or prompted for when run in a terminal.';

/** Exits with a one-line message; 2 for wrong usage or configuration, 1 otherwise. */
function fail(message: string, code = 1): never {
  console.error(`admin:create: ${message}`);
  process.exit(code);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        timezone: { type: 'string', default: 'UTC' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) fail(`--email with a valid address is required.\n${USAGE}`, 2);
if (!values.name?.trim()) fail(`--name is required.\n${USAGE}`, 2);
if (!isValidTimezone(values.timezone)) fail(`--timezone "${values.timezone}" is not an IANA time zone (e.g. Europe/Berlin).`, 2);

const email = normalizeEmail(values.email);
const password = await readPassword();
try {
  await checkPasswordPolicy(password, email);
} catch (err) {
  if (err instanceof AppError) fail(err.detail);
  throw err;
}

let config;
try {
  config = loadProcessConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message, 2);
  throw err;
}
requireExistingDatabase(config.databaseUrl, fail);
const db = await openDb(config.databaseUrl);
try {
  // A database the API created but has not migrated to this version yet (e.g. after an upgrade).
  await migrate(db);
  const accounts = accountRepository(db);
  const password_hash = await hashPassword(password);
  const admin = await db.transaction(async (tx) => {
    if (await accounts.findUserByEmail(email)) return null;
    return accounts.createUser({ email, password_hash, full_name: values.name!.trim(), role: 'admin', timezone: canonicalTimezone(values.timezone) }, tx);
  });
  if (!admin) fail(`an account with ${email} already exists (409 email_taken); nothing changed.`);
  console.log(`Created admin ${admin.email} (id ${admin.id}).`);
} catch (err) {
  if (err instanceof UniqueConstraintError) fail(`an account with ${email} already exists (409 email_taken); nothing changed.`);
  fail(`could not create the admin: ${err instanceof Error ? err.message : String(err)}`);
} finally {
  await db.close();
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) fail('no password: set ADMIN_PASSWORD, or run in a terminal to be prompted.', 2);
  const first = await readHiddenLine('Password for the new admin: ').catch(() => fail('cancelled.'));
  const second = await readHiddenLine('Repeat the password: ').catch(() => fail('cancelled.'));
  if (first !== second) fail('the passwords do not match.');
  return first;
}
