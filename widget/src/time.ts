// Zone math with the platform's Intl only (no library): the widget's size budget is tight.

const formats = new Map<string, Intl.DateTimeFormat>();

function partsIn(zone: string, at: number): Record<string, number> {
  let f = formats.get(zone);
  if (!f) formats.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(at)) out[p.type] = Number(p.value);
  return out;
}

/** How far `zone` is ahead of UTC at the instant `at` (ms). */
function offsetAt(zone: string, at: number): number {
  const p = partsIn(zone, at);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) - Math.floor(at / 1000) * 1000;
}

/** The UTC instant (ms) of a wall-clock date and time in a zone. */
export function instantOf(date: string, time: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  const wall = Date.UTC(y!, m! - 1, d!, h!, min!);
  const first = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, first);
}

/** The visitor's own zone. */
export const visitorZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `2026-12-07` shifted by `n` days. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 864e5).toISOString().slice(0, 10);
}

/** Today's date in a zone. */
export function todayIn(zone: string, now = Date.now()): string {
  const p = partsIn(zone, now);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Formats an instant in a zone and locale. */
export function fmt(at: number, zone: string, locale: string | undefined, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale, { timeZone: zone, ...options }).format(at);
}

/** A price in minor units, in the currency's own number of decimals. */
export function money(amount: number, currency: string, locale?: string): string {
  const f = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return f.format(amount / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
}
