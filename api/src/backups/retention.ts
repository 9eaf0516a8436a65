import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { backupTimeOf, manifestPath } from './manifest.js';

export interface Keep {
  daily: number;
  weekly: number;
}

/** `2026-W49`: the ISO week of an instant (UTC), so weeks start on Monday. */
function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this week decides its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Which backups to keep: the newest of each of the last `daily` days that have one, and the
 * newest of each of the last `weekly` ISO weeks that have one (as restic's --keep-daily/weekly).
 * Names that are not backups are never returned in either list.
 */
export function retention(names: string[], keep: Keep): { keep: string[]; remove: string[] } {
  const backups = names
    .map((name) => ({ name, at: backupTimeOf(name) }))
    .filter((b): b is { name: string; at: Date } => b.at !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const kept = new Set<string>();
  for (const [count, bucket] of [
    [keep.daily, (d: Date) => d.toISOString().slice(0, 10)],
    [keep.weekly, isoWeek],
  ] as const) {
    const seen = new Set<string>();
    for (const b of backups) {
      const key = bucket(b.at);
      if (seen.has(key)) continue;
      if (seen.size >= count) break;
      seen.add(key);
      kept.add(b.name);
    }
  }
  // Never delete the newest backup, whatever the settings say.
  if (backups[0]) kept.add(backups[0].name);
  return { keep: backups.filter((b) => kept.has(b.name)).map((b) => b.name), remove: backups.filter((b) => !kept.has(b.name)).map((b) => b.name) };
}

/** Deletes the backups (and their manifests) in `dir` that the retention rule does not keep. */
export async function pruneBackups(dir: string, keep: Keep): Promise<string[]> {
  const { remove } = retention(await readdir(dir), keep);
  for (const name of remove) {
    await rm(path.join(dir, name), { force: true });
    await rm(manifestPath(path.join(dir, name)), { force: true });
  }
  return remove;
}
