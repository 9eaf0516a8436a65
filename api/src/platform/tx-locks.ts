import type { Transaction } from 'sequelize';

/**
 * Row locks a transaction already holds (by name, e.g. `instructor:<id>`), so code that needs the
 * same lock further down the write path does not ask the database for it again (a round trip).
 */
const held = new WeakMap<Transaction, Set<string>>();

export function noteLocked(tx: Transaction, names: string[]): void {
  const set = held.get(tx) ?? new Set<string>();
  for (const n of names) set.add(n);
  held.set(tx, set);
}

/** The names of these not yet locked by the transaction. */
export function notLocked(tx: Transaction, names: string[]): string[] {
  const set = held.get(tx);
  return set ? names.filter((n) => !set.has(n)) : names;
}

export const instructorLock = (id: string) => `instructor:${id}`;
