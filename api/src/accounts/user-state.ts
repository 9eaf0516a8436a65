import type { ResponseCache } from '../platform/cache.js';
import type { Role } from '../platform/tokens.js';
import type { AccountRepository } from './repository.js';

/** What every authenticated request needs to know about its user, from the database. */
export interface UserState {
  role: Role;
  /** Access tokens carry the version they were issued at; a password change or reset bumps it. */
  tokenVersion: number;
}

/**
 * The role, token version and existence of users, read from the database and cached in the
 * app's cache (one namespace per user). A change bumps the user's namespace after commit, which
 * invalidates the entry here at once and on other instances through Redis.
 */
export function userStates(accounts: AccountRepository, cache: ResponseCache) {
  const ns = (userId: string) => `user:${userId}`;
  return {
    /** The user's state, or null when the account does not exist. */
    async stateOf(userId: string): Promise<UserState | null> {
      const version = await cache.version(ns(userId));
      const entry = await cache.getOrCompute(
        `${ns(userId)}:${version}:state`,
        async () => {
          const user = await accounts.findUserById(userId);
          return { body: JSON.stringify(user ? { role: user.role, tokenVersion: user.token_version } : null), etag: '' };
        },
        false,
      );
      return JSON.parse(entry.body) as UserState | null;
    },
    /** Call after a committed change of the user's role, token version or existence. */
    async changed(userId: string): Promise<void> {
      await cache.bump(ns(userId));
    },
  };
}

export type UserStates = ReturnType<typeof userStates>;
