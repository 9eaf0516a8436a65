/** Instants shown to a person: in their own timezone (the computer's, or TZ), with the zone's name. */

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g;

function parts(date: Date, timeZone?: string) {
  // Dates and times as the CLI writes them everywhere (YYYY-MM-DD HH:MM); the zone's name as the user's locale says it.
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(format.formatToParts(date).map((x) => [x.type, x.value]));
  const zone = new Intl.DateTimeFormat(undefined, { timeZone, timeZoneName: 'short' }).formatToParts(date).find((x) => x.type === 'timeZoneName')?.value ?? '';
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, zone };
}

/** An instant as `2026-07-15 10:00 CEST` in the user's zone (or `timeZone`). */
export function localInstant(iso: string | Date, timeZone?: string): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const p = parts(date, timeZone);
  return `${p.date} ${p.time} ${p.zone}`.trim();
}

/** A span as `2026-07-15 10:00-11:00 CEST` (the end's date too when it is another day). */
export function localSpan(startIso: string, endIso: string, timeZone?: string): string {
  const start = parts(new Date(startIso), timeZone);
  const end = parts(new Date(endIso), timeZone);
  return start.date === end.date ? `${start.date} ${start.time}-${end.time} ${start.zone}` : `${start.date} ${start.time} ${start.zone} to ${end.date} ${end.time} ${end.zone}`;
}

/** Every raw ISO instant in a text (e.g. an API message) rewritten in the user's zone. */
export function localizeInstants(text: string): string {
  return text.replace(ISO_INSTANT, (iso) => localInstant(iso));
}

/** The zone this computer (or TZ) uses, e.g. `Europe/Berlin`. */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
