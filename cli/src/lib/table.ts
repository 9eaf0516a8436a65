/** A column of a plain-text table: heading and how to read a row's cell. */
export interface Column<T> {
  heading: string;
  value: (row: T) => string;
}

/** Rows as an aligned plain-text table (no colour, no box drawing: readable in pipes and logs). */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.heading.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns.map((c) => c.heading.toUpperCase())), ...cells.map(line)].join('\n');
}

/** Label/value pairs, one per line, labels aligned. */
export function details(pairs: readonly [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`).join('\n');
}
