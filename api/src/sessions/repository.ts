import { Op, type Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import { toDate } from '../platform/time.js';

export interface RefreshTokenRow {
  id: string;
  family_id: string;
  user_id: string;
  token_version: number;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

function toRow(r: Record<string, unknown>): RefreshTokenRow {
  return {
    id: String(r.id),
    family_id: String(r.family_id),
    user_id: String(r.user_id),
    token_version: Number(r.token_version),
    expires_at: toDate(r.expires_at as string),
    rotated_at: r.rotated_at ? toDate(r.rotated_at as string) : null,
    revoked_at: r.revoked_at ? toDate(r.revoked_at as string) : null,
  };
}

/** The only code that touches the refresh_tokens table. */
export function sessionRepository(db: Db) {
  const { RefreshToken } = db.models;
  return {
    async create(row: { family_id: string; user_id: string; token_hash: string; token_version: number; expires_at: Date }, tx: Transaction): Promise<void> {
      await RefreshToken.create(row, { transaction: tx });
    },
    async findByHash(tokenHash: string, tx: Transaction): Promise<RefreshTokenRow | null> {
      const r = await RefreshToken.findOne({ where: { token_hash: tokenHash }, transaction: tx });
      return r ? toRow(r.get({ plain: true }) as Record<string, unknown>) : null;
    },
    /** Marks a live token as rotated; false when it already was (or was revoked): one winner under concurrency. */
    async rotate(id: string, at: Date, tx: Transaction): Promise<boolean> {
      const [count] = await RefreshToken.update({ rotated_at: at }, { where: { id, rotated_at: null, revoked_at: null }, transaction: tx });
      return count > 0;
    },
    async revokeFamily(familyId: string, at: Date, tx: Transaction): Promise<void> {
      await RefreshToken.update({ revoked_at: at }, { where: { family_id: familyId, revoked_at: null }, transaction: tx });
    },
    async revokeAllOfUser(userId: string, at: Date, tx: Transaction): Promise<void> {
      await RefreshToken.update({ revoked_at: at }, { where: { user_id: userId, revoked_at: null }, transaction: tx });
    },
    /** Deletes tokens that expired before `before` (rotated and revoked ones included): none of them can be used or reused. */
    async pruneExpired(before: Date): Promise<number> {
      return db.transaction((tx) => RefreshToken.destroy({ where: { expires_at: { [Op.lt]: before } }, transaction: tx }));
    },
  };
}

export type SessionRepository = ReturnType<typeof sessionRepository>;
