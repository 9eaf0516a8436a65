import argon2 from 'argon2';
import { AppError } from './errors.js';

// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB memory, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id at OWASP's parameters. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** Checks a password against a stored hash; false on any mismatch or malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** A real hash of a random password, verified when an account does not exist so login takes the same time. */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(`no-such-account-${Math.random()}`);
  return dummy;
}

/** Enforces the password policy: 10+ characters, not the email address. */
export function checkPasswordPolicy(password: string, email: string): void {
  if (password.length < 10) {
    throw new AppError('weak_password', 'The password must be at least 10 characters long.', {
      errors: [{ path: '/body/password', message: 'must be at least 10 characters' }],
    });
  }
  const lowered = password.trim().toLowerCase();
  if (lowered === email.toLowerCase() || lowered === email.split('@')[0]?.toLowerCase()) {
    throw new AppError('weak_password', 'The password must not be your email address.', {
      errors: [{ path: '/body/password', message: 'must not be the email address' }],
    });
  }
}
