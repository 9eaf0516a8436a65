import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Config, run } from '@oclif/core';
import { startTestApp, type TestApp } from '../../api/test/harness.js';

export const cliRoot = fileURLToPath(new URL('..', import.meta.url));

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The command's return value (what `--json` prints). */
  result: unknown;
}

let config: Config | undefined;

/** Runs `instru <argv>` in-process through oclif (the built dist/ and manifest), capturing stdout, stderr and the exit code. */
export async function instru(...argv: string[]): Promise<CliResult> {
  // As bin/run.js does: no update check (it would ask the npm registry in the background).
  if (!process.env.INSTRU_UPDATE_CHECK) process.env.INSTRU_SKIP_NEW_VERSION_CHECK ??= 'true';
  config ??= await Config.load(cliRoot);
  const out: string[] = [];
  const err: string[] = [];
  // oclif prints through console.log/console.error, the CLI's own error line through process.stderr.
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, log: console.log, error: console.error };
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  console.log = (...args: unknown[]) => void out.push(`${format(...args)}\n`);
  console.error = (...args: unknown[]) => void err.push(`${format(...args)}\n`);
  let exitCode: number;
  let result: unknown;
  try {
    result = await run(argv, config);
    exitCode = Number(process.exitCode ?? 0);
  } catch (error) {
    const { oclif, code, message } = error as { oclif?: { exit?: number }; code?: string; message?: string };
    exitCode = oclif?.exit ?? 1;
    // An ExitError comes after the CLI printed its line; anything else escaped the CLI's error handling.
    if (code !== 'EEXIT') err.push(`${message}\n`);
  } finally {
    Object.assign(process.stdout, { write: saved.stdout });
    Object.assign(process.stderr, { write: saved.stderr });
    Object.assign(console, { log: saved.log, error: saved.error });
    process.exitCode = undefined;
  }
  return { stdout: out.join(''), stderr: err.join(''), exitCode, result };
}

/** Runs a command that must succeed and returns its parsed `--json` output. */
export async function instruJson<T = any>(...argv: string[]): Promise<T> {
  const r = await instru(...argv, '--json');
  if (r.exitCode !== 0) throw new Error(`instru ${argv.join(' ')} failed (${r.exitCode}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Starts the API for one test file and points the CLI at it, with a fresh config dir. */
export async function startCliTestApp(): Promise<{ app: TestApp; configDir: string; close(): Promise<void> }> {
  const app = await startTestApp();
  const configDir = mkdtempSync(path.join(tmpdir(), 'instru-config-'));
  process.env.XDG_CONFIG_HOME = configDir;
  process.env.INSTRU_API_URL = app.url;
  delete process.env.INSTRU_TOKEN;
  return {
    app,
    configDir,
    async close() {
      await app.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/** Logs the CLI in as this email (password of the harness's registerUser). */
export async function loginAs(email: string, password = 'a-long-password-1'): Promise<void> {
  const r = await instru('login', '--email', email, '--password', password);
  if (r.exitCode !== 0) throw new Error(`login failed: ${r.stderr}`);
}

export interface BinaryRun {
  child: ChildProcess;
  /** Resolves when the process ends. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts the built `bin/run.js` as a real process (no TTY), with its own env on top of a clean one. */
export function spawnInstru(args: string[], env: Record<string, string | undefined> = {}, stdin?: string): BinaryRun {
  const child = spawn(process.execPath, [path.join(cliRoot, 'bin', 'run.js'), ...args], {
    env: { ...process.env, INSTRU_TOKEN: '', NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  child.stdin!.end(stdin ?? '');
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Runs the binary to the end. */
export function runInstru(args: string[], env: Record<string, string | undefined> = {}, stdin?: string) {
  return spawnInstru(args, env, stdin).done;
}
