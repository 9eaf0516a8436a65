import type { UserRow, UserWithHash } from './repository.js';

/** A user as the API shows it (never the hash or the token version). */
export function publicUser(u: UserWithHash | UserRow): UserRow {
  return { id: u.id, email: u.email, full_name: u.full_name, role: u.role, timezone: u.timezone, created_at: u.created_at };
}
