import { availableParallelism } from 'node:os';
import argon2 from 'argon2';
import pLimit from 'p-limit';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { AppError } from './errors.js';

// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB memory, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id at OWASP's parameters (one-off use; the API goes through a PasswordHasher). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

async function verify(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Half the cores (at least one): hashing never takes every core nor libuv's whole thread pool, which the database driver shares. */
export function defaultHashConcurrency(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

/**
 * Password hashing behind a small queue of its own: at most `concurrency` argon2 runs at a time,
 * the rest wait their turn. A login flood then costs login latency, never the CPU, memory or
 * thread pool that other requests and the database need.
 */
export function createPasswordHasher(concurrency = defaultHashConcurrency()) {
  const limit = pLimit(concurrency);
  let dummy: Promise<string> | undefined;
  return {
    hash: (password: string) => limit(() => hashPassword(password)),
    /** False on any mismatch or malformed hash. */
    verify: (hash: string, password: string) => limit(() => verify(hash, password)),
    /** Verifies against a real hash of a random password, so a login for a missing account takes as long. */
    async verifyNobody(password: string): Promise<false> {
      dummy ??= limit(() => hashPassword(`no-such-account-${Math.random()}`));
      await limit(async () => verify(await dummy!, password));
      return false;
    },
    /** Hashing jobs running or waiting. */
    pending: () => limit.activeCount + limit.pendingCount,
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;

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
