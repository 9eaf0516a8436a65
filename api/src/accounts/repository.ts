import { Op, type Transaction } from 'sequelize';
import { jsonColumn, type Db } from '../platform/db.js';
import { iso, toDate } from '../platform/time.js';
import type { Role } from '../platform/tokens.js';

export interface UserRow {
  id: string;
  email: string;
  full_name: string;
  role: Role;
  timezone: string;
  created_at: string;
}
export interface UserWithHash extends UserRow {
  password_hash: string;
  /** Bumped by a password change or reset: access tokens of older versions stop working. */
  token_version: number;
}
export interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  type: 'secret' | 'publishable';
  prefix: string;
  allowed_origins: string[];
  last_used_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

type Raw = Record<string, unknown>;

function toUser(r: Raw): UserWithHash {
  return {
    id: r.id as string,
    email: r.email as string,
    full_name: r.full_name as string,
    role: r.role as Role,
    timezone: r.timezone as string,
    created_at: iso(r.created_at as string),
    password_hash: r.password_hash as string,
    token_version: Number(r.token_version ?? 0),
  };
}

function toApiKey(r: Raw): ApiKeyRow {
  return {
    id: r.id as string,
    user_id: r.user_id as string,
    name: r.name as string,
    type: r.type as ApiKeyRow['type'],
    prefix: r.prefix as string,
    allowed_origins: jsonColumn<string[] | null>(r.allowed_origins) ?? [],
    last_used_at: r.last_used_at ? iso(r.last_used_at as string) : null,
    created_at: iso(r.created_at as string),
    revoked_at: r.revoked_at ? iso(r.revoked_at as string) : null,
  };
}

/** The only code that touches the account tables. */
export function accountRepository(db: Db) {
  const { User, ApiKey, PasswordResetToken } = db.models;
  return {
    async findUserByEmail(email: string): Promise<UserWithHash | null> {
      const r = await User.findOne({ where: { email }, raw: true });
      return r ? toUser(r as unknown as Raw) : null;
    },
    async findUserById(id: string, tx?: Transaction): Promise<UserWithHash | null> {
      const r = await User.findByPk(id, { raw: true, transaction: tx });
      return r ? toUser(r as unknown as Raw) : null;
    },
    async findUsersByIds(ids: string[], tx?: Transaction): Promise<UserRow[]> {
      if (ids.length === 0) return [];
      const rows = await User.findAll({ where: { id: ids }, raw: true, transaction: tx });
      return rows.map((r) => toUser(r as unknown as Raw));
    },
    async createUser(
      user: { email: string; password_hash: string; full_name: string; role: Role; timezone: string },
      tx: Transaction,
    ): Promise<UserWithHash> {
      const created = await User.create(user, { transaction: tx });
      return toUser(created.get({ plain: true }) as Raw);
    },
    async updateUser(id: string, changes: Partial<{ full_name: string; timezone: string; password_hash: string }>, tx: Transaction): Promise<void> {
      await User.update(changes, { where: { id }, transaction: tx });
    },
    /** Sets a new password hash and ends every access token issued before (the version goes up). */
    async setPassword(id: string, password_hash: string, tx: Transaction): Promise<void> {
      await User.update({ password_hash, token_version: db.sequelize.literal('token_version + 1') }, { where: { id }, transaction: tx });
    },
    async createApiKey(key: Omit<ApiKeyRow, 'id' | 'created_at' | 'last_used_at' | 'revoked_at'> & { key_hash: string }, tx: Transaction): Promise<ApiKeyRow> {
      const created = await ApiKey.create(key, { transaction: tx });
      return toApiKey(created.get({ plain: true }) as Raw);
    },
    async listApiKeys(userId: string, after: { created_at: string; id: string } | undefined, limit: number): Promise<ApiKeyRow[]> {
      const where: Raw = { user_id: userId, revoked_at: null };
      if (after) {
        Object.assign(where, {
          [Op.or]: [
            { created_at: { [Op.lt]: toDate(after.created_at) } },
            { created_at: toDate(after.created_at), id: { [Op.lt]: after.id } },
          ],
        });
      }
      const rows = await ApiKey.findAll({ where, order: [['created_at', 'DESC'], ['id', 'DESC']], limit: limit + 1, raw: true });
      return rows.map((r) => toApiKey(r as unknown as Raw));
    },
    async findApiKeyByHash(hash: string): Promise<ApiKeyRow | null> {
      const r = await ApiKey.findOne({ where: { key_hash: hash, revoked_at: null }, raw: true });
      return r ? toApiKey(r as unknown as Raw) : null;
    },
    /** Every origin an active publishable key may be used from (the widget's CORS allow-list). */
    async publishableOrigins(): Promise<string[]> {
      const rows = await ApiKey.findAll({ where: { type: 'publishable', revoked_at: null }, attributes: ['allowed_origins'], raw: true });
      return [...new Set(rows.flatMap((r) => jsonColumn<string[] | null>((r as unknown as Raw).allowed_origins) ?? []))];
    },
    async touchApiKey(id: string, at: Date, tx: Transaction): Promise<void> {
      await ApiKey.update({ last_used_at: at }, { where: { id }, transaction: tx, silent: true });
    },
    async revokeApiKey(userId: string, id: string, at: Date, tx: Transaction): Promise<boolean> {
      const [count] = await ApiKey.update({ revoked_at: at }, { where: { id, user_id: userId, revoked_at: null }, transaction: tx });
      return count > 0;
    },
    /** `createdAt` comes from the app's clock: the per-account mail cap counts in that time. */
    async createResetToken(userId: string, tokenHash: string, createdAt: Date, expiresAt: Date, tx: Transaction): Promise<void> {
      await PasswordResetToken.create({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt, created_at: createdAt }, { transaction: tx });
    },
    async findResetToken(tokenHash: string, tx: Transaction): Promise<{ user_id: string; expires_at: Date; used_at: Date | null } | null> {
      const r = (await PasswordResetToken.findOne({ where: { token_hash: tokenHash }, raw: true, transaction: tx })) as Raw | null;
      if (!r) return null;
      return { user_id: r.user_id as string, expires_at: toDate(r.expires_at as string), used_at: r.used_at ? toDate(r.used_at as string) : null };
    },
    /** How many reset tokens were issued to the user since `since` (the per-account mail cap). */
    async countResetTokensSince(userId: string, since: Date, tx: Transaction): Promise<number> {
      return PasswordResetToken.count({ where: { user_id: userId, created_at: { [Op.gte]: since } }, transaction: tx });
    },
    /** Uses one valid token; false when it was already used or expired (one winner under concurrency). */
    async claimResetToken(tokenHash: string, at: Date, tx: Transaction): Promise<boolean> {
      const [count] = await PasswordResetToken.update(
        { used_at: at },
        { where: { token_hash: tokenHash, used_at: null, expires_at: { [Op.gt]: at } }, transaction: tx },
      );
      return count > 0;
    },
    /** Marks every unused token of the user as used: a confirmed reset invalidates earlier ones. */
    async useAllResetTokens(userId: string, at: Date, tx: Transaction): Promise<void> {
      await PasswordResetToken.update({ used_at: at }, { where: { user_id: userId, used_at: null }, transaction: tx });
    },
  };
}

export type AccountRepository = ReturnType<typeof accountRepository>;
