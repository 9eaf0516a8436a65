import { DateTime, IANAZone } from 'luxon';
import { AppError } from './errors.js';

/** An instant as ISO 8601 UTC; accepts what either database driver returns. */
export function iso(value: Date | string): string {
  return toDate(value).toISOString();
}

/** A Date from a driver value (SQLite gives strings, PostgreSQL Dates). */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value.includes('T') ? value : value.replace(' ', 'T').replace(' ', ''));
}

/** True for a real IANA time zone name. */
export function isValidTimezone(tz: string): boolean {
  return tz.length <= 64 && /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz) && IANAZone.isValidZone(tz);
}

/** The zone's canonical IANA spelling (`europe/berlin` -> `Europe/Berlin`), as ICU resolves it. */
export function canonicalTimezone(tz: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
}

/** Throws invalid_timezone unless tz is a real IANA zone; returns its canonical spelling, the one to store. */
export function assertTimezone(tz: string, path = '/body/timezone'): string {
  if (!isValidTimezone(tz)) {
    throw new AppError('invalid_timezone', `"${tz}" is not an IANA time zone. Use a name such as "Europe/Berlin".`, {
      errors: [{ path, message: 'must be an IANA time zone name' }],
    });
  }
  return canonicalTimezone(tz);
}

/** Throws invalid_date unless value is a real calendar date YYYY-MM-DD. */
export function assertDate(value: string, path: string): void {
  const year = Number(value.slice(0, 4));
  // Years outside 1900-2999 are real dates but no lesson's; JavaScript's Date mangles years < 100.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value, { zone: 'UTC' }).isValid || year < 1900 || year > 2999) {
    throw new AppError('invalid_date', `"${value}" is not a usable date. Use YYYY-MM-DD between 1900 and 2999.`, {
      errors: [{ path, message: 'must be a real date (YYYY-MM-DD)' }],
    });
  }
}

/** Throws unless from..to (inclusive) runs forward and spans at most `max` days. */
export function assertDateSpan(from: string, to: string, max: number, what: string, toPath: string): void {
  const span = daysBetween(from, to);
  if (span < 0) throw new AppError('invalid_date', `The end date must not be before the start date.`, { errors: [{ path: toPath, message: 'must not be before the start date' }] });
  if (span + 1 > max) throw new AppError('range_too_long', `${what} covers at most ${max} days; split the request.`);
}

/** Number of days from a to b (b - a), for YYYY-MM-DD dates. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The date n days after a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The weekday of a YYYY-MM-DD date, Monday = 0 ... Sunday = 6 (weeks start on Monday). */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Today's date in a time zone. */
export function todayIn(tz: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone: tz }).toISODate() ?? now.toISOString().slice(0, 10);
}
