/** A column of a table: heading, how to read a row's cell, and optionally how to sort by it. */
export interface Column<T> {
  heading: string;
  value: (row: T) => string;
  /** Name for --columns and --sort [default: the heading, lower case, dashes for other characters]. */
  key?: string;
  /** Sort key when the shown text does not sort right (e.g. an instant, an amount). */
  sortBy?: (row: T) => string | number;
}

export const columnKey = (c: Column<never>): string => c.key ?? c.heading.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const GAP = 2;

/** Shrinks the widest columns until the line fits `max` characters (each keeps at least its heading, or 4). */
function fit(widths: number[], headings: number[], max: number): number[] {
  const result = [...widths];
  const floor = result.map((w, i) => Math.min(w, Math.max(headings[i]!, 4)));
  while (result.reduce((a, b) => a + b, 0) + GAP * (result.length - 1) > max) {
    let widest = -1;
    for (let i = 0; i < result.length; i++) if (result[i]! > floor[i]! && (widest < 0 || result[i]! > result[widest]!)) widest = i;
    if (widest < 0) break;
    result[widest]!--;
  }
  return result;
}

const truncate = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`);

/**
 * Rows as an aligned plain-text table (no colour, no box drawing: readable in pipes and logs);
 * with `width`, cells are cut with an ellipsis so each line fits.
 */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], width?: number): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row).replace(/\s*\n\s*/g, ' ')));
  const headings = columns.map((c) => c.heading.toUpperCase());
  const natural = columns.map((_, i) => Math.max(headings[i]!.length, ...cells.map((r) => r[i]!.length)));
  const widths = width ? fit(natural, headings.map((h) => h.length), width) : natural;
  const line = (values: string[]) =>
    values
      .map((v, i) => truncate(v, widths[i]!))
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join(' '.repeat(GAP))
      .trimEnd();
  return [line(headings), ...cells.map(line)].join('\n');
}

/** Label/value pairs, one per line, labels aligned. */
export function details(pairs: readonly [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`).join('\n');
}
