import { describe, expect, it } from 'vitest';
import { retention } from './retention.js';
import { backupFileName } from './manifest.js';

const at = (iso: string) => backupFileName(new Date(iso), '002-bookings', 'sqlite');

describe('backup retention', () => {
  // Daily backups at 03:00 for 40 days (2026-10-23 .. 2026-12-01), plus a second one on the last day.
  const days = Array.from({ length: 40 }, (_, k) => new Date(Date.UTC(2026, 9, 23 + k, 3)).toISOString());
  const names = [...days.map(at), at('2026-12-01T15:00:00Z'), 'notes.txt', 'instainstru-bad.sqlite'];

  it('keeps the newest of each of the last 7 days and of each of the last 4 ISO weeks', () => {
    const { keep, remove } = retention(names, { daily: 7, weekly: 4 });
    expect(keep).toEqual([
      at('2026-12-01T15:00:00Z'), // Tue: newest of its day (and of week 49)
      at('2026-11-30T03:00:00Z'),
      at('2026-11-29T03:00:00Z'), // Sun: newest of week 48
      at('2026-11-28T03:00:00Z'),
      at('2026-11-27T03:00:00Z'),
      at('2026-11-26T03:00:00Z'),
      at('2026-11-25T03:00:00Z'),
      at('2026-11-22T03:00:00Z'), // week 47
      at('2026-11-15T03:00:00Z'), // week 46
    ]);
    expect(remove).toHaveLength(41 - 9);
    expect(remove).toContain(at('2026-12-01T03:00:00Z'));
    expect(remove).not.toContain('notes.txt');
    expect(remove).not.toContain('instainstru-bad.sqlite');
  });

  it('never removes the newest backup, even with nothing to keep', () => {
    expect(retention(names, { daily: 0, weekly: 0 }).keep).toEqual([at('2026-12-01T15:00:00Z')]);
  });

  it('keeps everything while there are fewer backups than the rule allows', () => {
    const few = [at('2026-12-01T03:00:00Z'), at('2026-11-30T03:00:00Z')];
    expect(retention(few, { daily: 7, weekly: 4 })).toEqual({ keep: few, remove: [] });
  });
});
