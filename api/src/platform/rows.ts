import type { Attributes, Model } from 'sequelize';

/**
 * A model's attributes as a `raw: true` query returns them: the drivers give timestamps as
 * Dates (PostgreSQL) or strings (SQLite).
 */
export type RawRow<A> = {
  [K in keyof A]: A[K] extends Date ? Date | string : A[K] extends Date | null ? Date | string | null : A[K];
};

/**
 * The one place where Sequelize's types meet `raw: true`: its methods are typed as returning model
 * instances, but with `raw: true` they return plain rows of the model's attributes.
 */
export async function rawRows<M extends Model>(query: Promise<M[]>): Promise<RawRow<Attributes<M>>[]> {
  return (await query) as unknown as RawRow<Attributes<M>>[];
}

export async function rawRow<M extends Model>(query: Promise<M | null>): Promise<RawRow<Attributes<M>> | null> {
  return (await query) as unknown as RawRow<Attributes<M>> | null;
}
