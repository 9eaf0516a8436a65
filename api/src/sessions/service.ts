import { randomUUID } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { ACCESS_TOKEN_TTL_SECONDS, randomSecret, sha256, type TokenService } from '../platform/tokens.js';
import type { AccountRepository, UserWithHash } from '../accounts/repository.js';
import { publicUser } from '../accounts/view.js';
import type { SessionRepository } from './repository.js';

/** Refresh tokens live 30 days from their issue; every refresh issues a new one. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
/** Lets people (and secret scanners) tell a refresh token from an access token or an API key. */
const REFRESH_PREFIX = 'rt_';

interface Deps {
  db: Db;
  sessions: SessionRepository;
  accounts: AccountRepository;
  tokens: TokenService;
  clock: Clock;
}

const invalid = () => new AppError('invalid_refresh_token', 'This refresh token is not valid, expired, or was already used. Log in again.');

/**
 * Sessions: a short access token plus a refresh token that rotates on every use. Tokens of one
 * sign-in form a family; presenting a rotated token again means someone kept a copy, so the
 * whole family is revoked (RFC 9700, section 4.14.2).
 */
export function sessionService({ db, sessions, accounts, tokens, clock }: Deps) {
  async function newRefreshToken(user: UserWithHash, familyId: string, tx: Transaction): Promise<string> {
    const token = `${REFRESH_PREFIX}${randomSecret(32)}`;
    const expires_at = new Date(clock.now().getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000);
    await sessions.create({ family_id: familyId, user_id: user.id, token_hash: sha256(token), token_version: user.token_version, expires_at }, tx);
    return token;
  }

  async function result(user: UserWithHash, refreshToken: string) {
    return {
      user: publicUser(user),
      access_token: await tokens.issue(user.id, user.token_version),
      token_type: 'Bearer' as const,
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: refreshToken,
      refresh_expires_in: REFRESH_TOKEN_TTL_SECONDS,
    };
  }

  return {
    /** Starts a new session (a new family) for a user who just proved who they are. */
    async start(user: UserWithHash) {
      const refresh = await db.transaction((tx) => newRefreshToken(user, randomUUID(), tx));
      return result(user, refresh);
    },

    /** Rotates a refresh token into a new session; any failure is the same 401. */
    async refresh(token: string) {
      const now = clock.now();
      // Outcomes are returned, not thrown, so that revoking a family on reuse commits.
      const outcome = await db.transaction(async (tx): Promise<{ user: UserWithHash; refresh: string } | null> => {
        const row = await sessions.findByHash(sha256(token), tx);
        if (!row || row.revoked_at) return null;
        if (row.rotated_at || row.expires_at <= now) {
          if (row.rotated_at) await sessions.revokeFamily(row.family_id, now, tx);
          return null;
        }
        const user = await accounts.findUserById(row.user_id, tx);
        // A family from before a password change or reset is over, even if its revocation raced with this refresh.
        if (!user || user.token_version !== row.token_version) {
          await sessions.revokeFamily(row.family_id, now, tx);
          return null;
        }
        // Two refreshes racing with one token: the loser is a reuse too.
        if (!(await sessions.rotate(row.id, now, tx))) {
          await sessions.revokeFamily(row.family_id, now, tx);
          return null;
        }
        return { user, refresh: await newRefreshToken(user, row.family_id, tx) };
      });
      if (!outcome) throw invalid();
      return result(outcome.user, outcome.refresh);
    },

    /** Ends the session the refresh token belongs to; unknown tokens are ignored (nothing to tell). */
    async logout(token: string): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await sessions.findByHash(sha256(token), tx);
        if (row) await sessions.revokeFamily(row.family_id, clock.now(), tx);
      });
    },

    /** Ends every session of a user, inside the transaction that changes their password. */
    revokeAll: (userId: string, tx: Transaction) => sessions.revokeAllOfUser(userId, clock.now(), tx),
  };
}

export type SessionService = ReturnType<typeof sessionService>;
