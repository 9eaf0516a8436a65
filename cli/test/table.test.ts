import { describe, expect, it } from 'vitest';
import { renderRows } from '../src/lib/output.js';
import { table, type Column } from '../src/lib/table.js';

interface Row {
  name: string;
  note: string;
  amount: number;
}
const rows: Row[] = [
  { name: 'Anna Amsel', note: 'Jazz piano for adults, evenings only', amount: 6000 },
  { name: 'Ben', note: 'Cello', amount: 4500 },
];
const columns: Column<Row>[] = [
  { heading: 'name', value: (r) => r.name },
  { heading: 'note', value: (r) => r.note },
  { heading: 'rate/h', key: 'rate', value: (r) => `EUR ${(r.amount / 100).toFixed(2)}`, sortBy: (r) => r.amount },
];

describe('tables', () => {
  it('fit the terminal: the widest cells are cut with an ellipsis, every line within the width', () => {
    const text = renderRows(rows, columns, {}, 'none', { isTTY: true, columns: 40 });
    const lines = text.split('\n');
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines[0]).toMatch(/^NAME\s+NOTE\s+RATE\/H$/);
    expect(lines[1]).toBe("Anna Amsel  Jazz piano for a…  EUR 60.00");
    expect(lines[2]).toMatch(/^Ben\s+Cello\s+EUR 45\.00$/);
  });

  it('keep full cells when there is room, and when piped without an explicit table', () => {
    expect(table(rows, columns, 200)).toContain('Jazz piano for adults, evenings only');
    expect(renderRows(rows, columns, {}, 'none', { isTTY: false })).toBe('Anna Amsel\tJazz piano for adults, evenings only\tEUR 60.00\nBen\tCello\tEUR 45.00');
  });

  it('sort by a column with its own sort key, and say when there is nothing', () => {
    expect(renderRows(rows, columns, { output: 'tsv', columns: ['name'], sort: 'rate' }, 'none', { isTTY: false })).toBe('Ben\nAnna Amsel');
    expect(renderRows(rows, columns, { output: 'tsv', columns: ['name'], sort: '-rate' }, 'none', { isTTY: false })).toBe('Anna Amsel\nBen');
    expect(renderRows([], columns, {}, 'Nothing here.', { isTTY: true, columns: 80 })).toBe('Nothing here.');
    expect(renderRows([], columns, {}, 'Nothing here.', { isTTY: false })).toBe('');
  });

  it('quote CSV cells that need it', () => {
    const csv = renderRows([{ name: 'A "B", C', note: 'x\ny', amount: 1 }], columns, { output: 'csv' }, 'none', { isTTY: false });
    expect(csv).toBe('name,note,rate\n"A ""B"", C","x\ny",EUR 0.01');
  });
});
