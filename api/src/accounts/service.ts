import { UniqueConstraintError } from 'sequelize';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { MailOutbox } from '../platform/outbox.js';
import { AppError } from '../platform/errors.js';
import { checkPasswordPolicy, dummyHash, hashPassword, verifyPassword } from '../platform/passwords.js';
import { ACCESS_TOKEN_TTL_SECONDS, randomSecret, sha256, type Role, type TokenService } from '../platform/tokens.js';
import { assertTimezone } from '../platform/time.js';
import type { AccountRepository, UserRow, UserWithHash } from './repository.js';
import type { InstructorRepository } from '../instructors/repository.js';

const RESET_TOKEN_TTL_MINUTES = 30;

/** Emails are compared trimmed, NFC-normalized and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

/** A user as the API shows it (never the hash). */
export function publicUser(u: UserWithHash | UserRow): UserRow {
  return { id: u.id, email: u.email, full_name: u.full_name, role: u.role, timezone: u.timezone, created_at: u.created_at };
}

interface Deps {
  db: Db;
  accounts: AccountRepository;
  instructors: InstructorRepository;
  tokens: TokenService;
  clock: Clock;
  outbox: MailOutbox;
  publicUrl: string;
  /** Called when something the public sees about an instructor (the name) changes. */
  onPublicChange(instructorId: string): Promise<void>;
}

/** Registration, login, the own account and password reset. */
export function accountService({ db, accounts, instructors, tokens, clock, outbox, publicUrl, onPublicChange }: Deps) {
  async function authResult(user: UserWithHash) {
    return {
      user: publicUser(user),
      access_token: await tokens.issue(user.id, user.role),
      token_type: 'Bearer' as const,
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
    };
  }

  return {
    /** Creates a student or instructor account (admins come only from `npm run admin:create`). */
    async register(input: { email: string; password: string; full_name: string; role: Role; timezone?: string }) {
      const email = normalizeEmail(input.email);
      const timezone = assertTimezone(input.timezone ?? 'UTC');
      checkPasswordPolicy(input.password, email);
      const password_hash = await hashPassword(input.password);
      const taken = () => new AppError('email_taken', 'An account with this email already exists. Log in, or reset the password.');
      const user = await db
        .transaction(async (tx) => {
          if (await accounts.findUserByEmail(email)) throw taken();
          const created = await accounts.createUser({ email, password_hash, full_name: input.full_name.trim(), role: input.role, timezone }, tx);
          if (input.role === 'instructor') await instructors.createProfile(created.id, timezone, tx);
          return created;
        })
        .catch((err: unknown) => {
          // Two registrations racing past the check: the unique index decides, the loser hears email_taken.
          throw err instanceof UniqueConstraintError ? taken() : err;
        });
      return authResult(user);
    },

    /** Exchanges email and password for an access token; same work whether or not the account exists. */
    async login(input: { email: string; password: string }) {
      const user = await accounts.findUserByEmail(normalizeEmail(input.email));
      const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
      if (!user || !ok) throw new AppError('invalid_credentials', 'The email or password is wrong. Check both, or reset the password.');
      return authResult(user);
    },

    /** The signed-in user. */
    async me(userId: string): Promise<UserRow> {
      const user = await accounts.findUserById(userId);
      if (!user) throw new AppError('unauthenticated', 'This account no longer exists.');
      return publicUser(user);
    },

    /** Changes the own name or time zone. */
    async updateMe(userId: string, changes: { full_name?: string; timezone?: string }): Promise<UserRow> {
      const update = {
        ...changes,
        ...(changes.timezone !== undefined ? { timezone: assertTimezone(changes.timezone) } : {}),
        ...(changes.full_name !== undefined ? { full_name: changes.full_name.trim() } : {}),
      };
      await db.transaction((tx) => accounts.updateUser(userId, update, tx));
      // An instructor's name is on public search results and profiles.
      if (changes.full_name !== undefined && (await instructors.findProfile(userId))) await onPublicChange(userId);
      return this.me(userId);
    },

    /** Emails a single-use reset token when the account exists; the caller always answers the same. */
    async requestPasswordReset(rawEmail: string): Promise<void> {
      const user = await accounts.findUserByEmail(normalizeEmail(rawEmail));
      if (!user) return;
      const token = randomSecret(32);
      const expiresAt = new Date(clock.now().getTime() + RESET_TOKEN_TTL_MINUTES * 60_000);
      // The mail goes through the outbox: the answer never waits for (or fails with) the mail server,
      // so it does not tell whether the account exists.
      await db.transaction(async (tx) => {
        await accounts.createResetToken(user.id, sha256(token), expiresAt, tx);
        await outbox.enqueue(tx, [
          {
            to: user.email,
            template: 'password-reset',
            data: {
              full_name: user.full_name,
              token,
              reset_url: `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
              expires_minutes: RESET_TOKEN_TTL_MINUTES,
            },
          },
        ]);
      });
      void outbox.flush();
    },

    /** Sets a new password with a valid token and invalidates every other token of the account. */
    async confirmPasswordReset(token: string, password: string): Promise<void> {
      const invalid = () => new AppError('invalid_reset_token', 'This reset link is invalid, used or expired. Request a new one.');
      const found = await db.transaction(async (tx) => {
        const row = await accounts.findResetToken(sha256(token), tx);
        if (!row || row.used_at || row.expires_at <= clock.now()) throw invalid();
        const user = await accounts.findUserById(row.user_id, tx);
        if (!user) throw invalid();
        return user;
      });
      checkPasswordPolicy(password, found.email);
      const password_hash = await hashPassword(password);
      await db.transaction(async (tx) => {
        // Re-check inside the write: two confirms racing with one token must not both succeed.
        if (!(await accounts.claimResetToken(sha256(token), clock.now(), tx))) throw invalid();
        await accounts.updateUser(found.id, { password_hash }, tx);
        await accounts.useAllResetTokens(found.id, clock.now(), tx);
      });
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
