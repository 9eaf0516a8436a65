import type { SearchIndex } from '../search/index-writer.js';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { MailOutbox } from '../platform/outbox.js';
import { AppError } from '../platform/errors.js';
import { checkPasswordPolicy, type PasswordHasher } from '../platform/passwords.js';
import { randomSecret, sha256, type Role } from '../platform/tokens.js';
import { assertTimezone } from '../platform/time.js';
import type { AccountRepository, UserRow } from './repository.js';
import type { InstructorRepository } from '../instructors/repository.js';
import type { SessionService } from '../sessions/service.js';
import type { UserStates } from './user-state.js';
import { publicUser } from './view.js';

const RESET_TOKEN_TTL_MINUTES = 30;
/**
 * At most this many reset mails per account per window, whoever asks and from wherever. The window
 * is shorter than a link's validity, so while the cap holds, the owner's inbox already has a
 * working link, and once it passes a real request gets a fresh one: the cap can never keep the
 * owner out for good.
 */
const RESET_MAILS_PER_WINDOW = 3;
const RESET_WINDOW_MINUTES = 15;

/** Emails are compared trimmed, NFC-normalized and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}

interface Deps {
  db: Db;
  accounts: AccountRepository;
  instructors: InstructorRepository;
  sessions: SessionService;
  userStates: UserStates;
  hasher: PasswordHasher;
  clock: Clock;
  outbox: MailOutbox;
  publicUrl: string;
  /** Called when something the public sees about an instructor (the name) changes. */
  onPublicChange(instructorId: string): Promise<void>;
  /** Rebuilds an instructor's search rows (the name is on them), in the same transaction. */
  search: Pick<SearchIndex, 'instructorChanged'>;
}

/** Registration, login, the own account and password reset. */
export function accountService({ db, accounts, instructors, sessions, userStates, hasher, clock, outbox, publicUrl, onPublicChange, search }: Deps) {
  /** Sets a password and ends every session and access token from before, in one transaction. */
  async function setPassword(userId: string, password_hash: string, first?: (tx: Transaction) => Promise<void>): Promise<void> {
    await db.transaction(async (tx) => {
      await first?.(tx);
      await accounts.setPassword(userId, password_hash, tx);
      await sessions.revokeAll(userId, tx);
      await accounts.useAllResetTokens(userId, clock.now(), tx);
    });
    // After commit: from now on this instance (and others, through Redis) refuse the old token version.
    await userStates.changed(userId);
  }

  return {
    /** Creates a student or instructor account (admins come only from `npm run admin:create`). */
    async register(input: { email: string; password: string; full_name: string; role: Role; timezone?: string }) {
      const email = normalizeEmail(input.email);
      const timezone = assertTimezone(input.timezone ?? 'UTC');
      await checkPasswordPolicy(input.password, email, '/body/password', [input.full_name]);
      const password_hash = await hasher.hash(input.password);
      const taken = () => new AppError('email_taken', 'An account with this email already exists. Log in, or reset the password.');
      const session = await db
        .transaction(async (tx) => {
          if (await accounts.findUserByEmail(email)) throw taken();
          const created = await accounts.createUser({ email, password_hash, full_name: input.full_name.trim(), role: input.role, timezone }, tx);
          if (input.role === 'instructor') await instructors.createProfile(created.id, timezone, tx);
          // The first session is written with the account: one transaction, not two.
          return sessions.startIn(created, tx);
        })
        .catch((err: unknown) => {
          // Two registrations racing past the check: the unique index decides, the loser hears email_taken.
          throw err instanceof UniqueConstraintError ? taken() : err;
        });
      return session.answer();
    },

    /** Exchanges email and password for a session; same work whether or not the account exists. */
    async login(input: { email: string; password: string }) {
      const user = await accounts.findUserByEmail(normalizeEmail(input.email));
      const ok = user ? await hasher.verify(user.password_hash, input.password) : await hasher.verifyNobody(input.password);
      if (!user || !ok) throw new AppError('invalid_credentials', 'The email or password is wrong. Check both, or reset the password.');
      return sessions.start(user);
    },

    /** Changes the own password after checking the current one; every other session ends, the caller gets a new one. */
    async changePassword(userId: string, input: { current_password: string; new_password: string }) {
      const user = await accounts.findUserById(userId);
      if (!user) throw new AppError('unauthenticated', 'This account no longer exists.');
      if (!(await hasher.verify(user.password_hash, input.current_password))) {
        throw new AppError('invalid_credentials', 'The current password is wrong. Check it, or reset the password by email.');
      }
      await checkPasswordPolicy(input.new_password, user.email, '/body/new_password', [user.full_name]);
      await setPassword(userId, await hasher.hash(input.new_password));
      const changed = await accounts.findUserById(userId);
      if (!changed) throw new AppError('unauthenticated', 'This account no longer exists.');
      return sessions.start(changed);
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
      await db.transaction(async (tx) => {
        await accounts.updateUser(userId, update, tx);
        if (changes.full_name !== undefined) await search.instructorChanged(tx, userId);
      });
      // An instructor's name is on public search results and profiles.
      if (changes.full_name !== undefined && (await instructors.findProfile(userId))) await onPublicChange(userId);
      return this.me(userId);
    },

    /** Emails a single-use reset token when the account exists; the caller always answers the same. */
    async requestPasswordReset(rawEmail: string): Promise<void> {
      const user = await accounts.findUserByEmail(normalizeEmail(rawEmail));
      if (!user) return;
      const token = randomSecret(32);
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MINUTES * 60_000);
      // The mail goes through the outbox: the answer never waits for (or fails with) the mail server,
      // so it does not tell whether the account exists. Over the cap the answer is the same, without a mail.
      const sent = await db.transaction(async (tx) => {
        const since = new Date(now.getTime() - RESET_WINDOW_MINUTES * 60_000);
        if ((await accounts.countResetTokensSince(user.id, since, tx)) >= RESET_MAILS_PER_WINDOW) return false;
        await accounts.createResetToken(user.id, sha256(token), now, expiresAt, tx);
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
        return true;
      });
      if (sent) void outbox.flush();
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
      await checkPasswordPolicy(password, found.email, '/body/password', [found.full_name]);
      const password_hash = await hasher.hash(password);
      await setPassword(found.id, password_hash, async (tx) => {
        // Re-check inside the write: two confirms racing with one token must not both succeed.
        if (!(await accounts.claimResetToken(sha256(token), clock.now(), tx))) throw invalid();
      });
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
