import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { AppError } from './errors.js';

// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB memory, 2 iterations, 1 lane.
const PARAMS = { memory: 19_456, passes: 2, parallelism: 1 } as const;
const WORKER = new URL('./hash-worker.mjs', import.meta.url);
/** A little below normal priority: the event loop wins the CPU, yet hashing is not starved on a busy machine. */
const HASH_NICE = 5;

/** Half the cores (at least one): hashing never takes every core. */
export function defaultHashConcurrency(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

type Job = { op: 'hash'; password: string; params: typeof PARAMS } | { op: 'verify'; password: string; phc: string };

/**
 * Password hashing in a small pool of worker threads behind a queue of its own: at most
 * `concurrency` argon2 runs at a time, each in a thread of lower CPU priority, the rest wait
 * their turn. A login flood then costs login latency, never the event loop, the CPU or the libuv
 * threads (which the database driver uses) that other requests need.
 */
export function createPasswordHasher(concurrency = defaultHashConcurrency()) {
  const limit = pLimit(concurrency);
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  const waiting = new Map<number, { worker: Worker; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let closed = false;

  function spawn(): Worker {
    const worker = new Worker(WORKER, { workerData: { nice: HASH_NICE } });
    worker.unref();
    all.add(worker);
    worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
      const job = waiting.get(id);
      waiting.delete(id);
      if (error) job?.reject(new Error(error));
      else job?.resolve(result);
    });
    const fail = (err: Error) => {
      all.delete(worker);
      for (const [id, job] of waiting) {
        if (job.worker !== worker) continue;
        waiting.delete(id);
        job.reject(err);
      }
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('password hashing worker exited')));
    return worker;
  }

  const run = <T>(job: Job) =>
    limit(async () => {
      if (closed) throw new Error('password hasher closed');
      const worker = idle.pop() ?? spawn();
      const id = ++seq;
      try {
        const result = await new Promise<unknown>((resolve, reject) => {
          waiting.set(id, { worker, resolve, reject });
          worker.postMessage({ id, ...job });
        });
        idle.push(worker);
        return result as T;
      } catch (err) {
        void worker.terminate();
        throw err;
      }
    });

  let dummy: Promise<string> | undefined;
  return {
    /** An argon2id PHC string for the password. */
    hash: (password: string) => run<string>({ op: 'hash', password, params: PARAMS }),
    /** False on any mismatch or malformed hash. */
    verify: (phc: string, password: string) => run<boolean>({ op: 'verify', password, phc }),
    /** Verifies against a real hash of a random password, so a login for a missing account takes as long. */
    async verifyNobody(password: string): Promise<false> {
      dummy ??= run<string>({ op: 'hash', password: `no-such-account-${Math.random()}`, params: PARAMS });
      await run<boolean>({ op: 'verify', password, phc: await dummy });
      return false;
    },
    /** Hashing jobs running or waiting. */
    pending: () => limit.activeCount + limit.pendingCount,
    /** Stops the worker threads (graceful shutdown). */
    async close(): Promise<void> {
      closed = true;
      limit.clearQueue();
      await Promise.all([...all].map((w) => w.terminate()));
      idle.length = 0;
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;

/** Hashes one password outside the API (admin creation, tests), with a hasher of its own. */
export async function hashPassword(password: string): Promise<string> {
  const hasher = createPasswordHasher(1);
  try {
    return await hasher.hash(password);
  } finally {
    await hasher.close();
  }
}

// The estimator's dictionaries are immutable and take ~80 ms to load: built once, on first use.
let estimator: ZxcvbnFactory | undefined;
/** Only the first characters are estimated: the cost grows with length, and a long password is long enough. */
const ESTIMATED_CHARS = 64;
/** zxcvbn score 0-1: fewer than 10^6 guesses, i.e. a common password or a trivial variant of one. */
const MIN_SCORE = 2;


/**
 * Enforces the password policy: 10+ characters, not the email address, and not one of the most
 * common passwords or a trivial variant of one (zxcvbn-ts with its common-passwords dictionary,
 * also fed the account's own email and name).
 */
export async function checkPasswordPolicy(password: string, email: string, field = '/body/password', names: string[] = []): Promise<void> {
  const fail = (message: string, detail: string) => new AppError('weak_password', detail, { errors: [{ path: field, message }] });
  if (password.length < 10) throw fail('must be at least 10 characters', 'The password must be at least 10 characters long.');
  const lowered = password.trim().toLowerCase();
  const local = email.split('@')[0]?.toLowerCase();
  if (lowered === email.toLowerCase() || lowered === local) {
    throw fail('must not be the email address', 'The password must not be your email address.');
  }
  estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  const result = await estimator.check(password.slice(0, ESTIMATED_CHARS), [email, local ?? '', ...names].filter(Boolean));
  if (result.score < MIN_SCORE) {
    throw fail('is too common', 'This password is one of the most common passwords (or close to one). Pick a longer, less predictable one, e.g. a few unrelated words.');
  }
}
