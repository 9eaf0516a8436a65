/**
 * Cached searches are grouped by what they depend on, so a change only invalidates the searches it
 * can affect. A search filtered by skill (or area) can only change when an instructor who has, or
 * had, that skill (area) changes; every other search (no skill or area filter) can change with any
 * instructor and lives in the `search:all` namespace.
 */
export const ALL_SEARCHES = 'search:all';

const skillNs = (skill: string) => `search:skill:${skill}`;
const areaNs = (area: string) => `search:area:${area}`;

/** The one namespace a search's cached answers live in: its most specific facet. */
export function searchNamespace(f: { skill?: string; area?: string }, normalizeArea: (a: string) => string): string {
  if (f.skill?.trim()) return skillNs(f.skill.trim().toLowerCase());
  if (f.area?.trim()) return areaNs(normalizeArea(f.area));
  return ALL_SEARCHES;
}

/** The namespaces a change of one instructor's search data invalidates, from its skills and areas (before and after). */
export function namespacesOf(docs: { skills_lc: string; area_keys: string }[]): string[] {
  const out = new Set<string>([ALL_SEARCHES]);
  for (const d of docs) {
    for (const s of d.skills_lc.split('\n')) if (s) out.add(skillNs(s));
    for (const a of d.area_keys.split('|')) if (a) out.add(areaNs(a));
  }
  return [...out];
}
