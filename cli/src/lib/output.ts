import { Flags } from '@oclif/core';
import { listFlag } from './flags.js';
import { CliProblem } from './problem.js';
import { columnKey, table, type Column } from './table.js';

export const FORMATS = ['table', 'csv', 'tsv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** `--output`, `--columns`, `--sort` for every command that lists rows. */
export const outputFlags = {
  output: Flags.option({ char: 'o', options: FORMATS, description: 'Output format [default: table in a terminal, tsv when piped].' })(),
  columns: listFlag({ description: 'Only these columns, in this order (names as in the table heading, e.g. date,status).' }),
  sort: Flags.string({ description: 'Sort by this column; a leading - sorts descending (e.g. --sort -price).', helpValue: 'COLUMN' }),
};

export interface OutputOptions {
  output?: Format | undefined;
  columns?: string[] | undefined;
  sort?: string | undefined;
}

/** Where the rows go: a terminal gets a table cut to its width; a pipe gets TSV unless told otherwise. */
export interface Sink {
  isTTY: boolean;
  columns?: number | undefined;
}

const stdoutSink = (): Sink => ({ isTTY: Boolean(process.stdout.isTTY), columns: process.stdout.columns });

/**
 * Rows in the chosen format: `table` (aligned, fitted to the terminal), `csv` (with a header),
 * `tsv` (no header, like gh), `json` (an array of {column: text}). `empty` is said only in a table.
 */
export function renderRows<T>(rows: readonly T[], all: readonly Column<T>[], options: OutputOptions, empty: string, sink: Sink = stdoutSink()): string {
  const columns = pick(all, options.columns);
  const sorted = sortRows(rows, all, options.sort);
  const format = options.output ?? (sink.isTTY ? 'table' : 'tsv');
  const text = (row: T) => columns.map((c) => c.value(row));
  switch (format) {
    case 'table':
      return sorted.length === 0 ? empty : table(sorted, columns, sink.isTTY ? sink.columns : undefined);
    case 'tsv':
      return sorted.map((row) => text(row).map((v) => v.replace(/[\t\r\n]+/g, ' ')).join('\t')).join('\n');
    case 'csv':
      return [columns.map((c) => csvCell(columnKey(c))).join(','), ...sorted.map((row) => text(row).map(csvCell).join(','))].join('\n');
    case 'json':
      return JSON.stringify(sorted.map((row) => Object.fromEntries(columns.map((c) => [columnKey(c), c.value(row)]))), null, 2);
  }
}

function pick<T>(all: readonly Column<T>[], names: string[] | undefined): readonly Column<T>[] {
  if (!names) return all;
  return names.map((name) => {
    const column = all.find((c) => columnKey(c) === name.toLowerCase());
    if (!column) throw unknownColumn('--columns', name, all);
    return column;
  });
}

function sortRows<T>(rows: readonly T[], all: readonly Column<T>[], sort: string | undefined): readonly T[] {
  if (!sort) return rows;
  const descending = sort.startsWith('-');
  const name = sort.replace(/^-/, '').toLowerCase();
  const column = all.find((c) => columnKey(c) === name);
  if (!column) throw unknownColumn('--sort', name, all);
  const keyOf = column.sortBy ?? column.value;
  const compare = (a: T, b: T) => {
    const x = keyOf(a);
    const y = keyOf(b);
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
  };
  return [...rows].sort((a, b) => (descending ? -compare(a, b) : compare(a, b)));
}

function unknownColumn<T>(flag: string, name: string, all: readonly Column<T>[]): CliProblem {
  return new CliProblem('invalid_input', `${flag}: there is no column "${name}"`, `Columns: ${all.map((c) => columnKey(c)).join(', ')}.`);
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Prints rows (nothing at all for an empty list outside a table, so a pipe gets no stray line). */
export function printRows<T>(log: (text: string) => void, rows: readonly T[], all: readonly Column<T>[], options: OutputOptions, empty: string): void {
  const text = renderRows(rows, all, options, empty);
  if (text !== '') log(text);
}
