import { AppError } from './errors.js';

/** A page of a cursor-paginated list. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Encodes a position in a list as an opaque cursor. */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a tampered cursor is a 400. */
export function decodeCursor<T extends Record<string, unknown>>(cursor: string | undefined, keys: (keyof T)[]): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
    if (value && typeof value === 'object' && keys.every((k) => k in value && wellFormed(String(k), value[k]))) return value;
  } catch {
    // fall through to the 400 below
  }
  throw new AppError('validation_error', 'The cursor is not valid. Use the next_cursor from the previous page.', {
    errors: [{ path: '/query/cursor', message: 'invalid cursor' }],
  });
}

/** Cursor positions are offsets, ids, dates or instants: anything else was tampered with. */
function wellFormed(key: string, v: unknown): boolean {
  if (typeof v === 'number') return key === 'o' && Number.isSafeInteger(v) && v >= 0;
  if (typeof v !== 'string' || v.length === 0 || v.length > 100) return false;
  if (key === 'id') return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
  if (key.endsWith('_at')) return !Number.isNaN(Date.parse(v));
  if (key === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(v);
  return false;
}

/** Builds a page from limit+1 fetched rows: the extra row only tells whether there is more. */
export function pageOf<R, T>(rows: R[], limit: number, toItem: (r: R) => T, cursorOf: (r: R) => Record<string, unknown>): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { data: items.map(toItem), next_cursor: more && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
