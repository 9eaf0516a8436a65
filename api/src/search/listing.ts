/** An instructor profile joined with the user's name, as the search index reads it. */
export interface ProfileSource {
  user_id: string;
  full_name: string;
  bio: string;
  timezone: string;
  min_advance_hours: number | string;
  buffer_minutes: number | string;
  area_keys: string;
  published: boolean | number;
}

/** An active service, as the search index reads it (JSON columns still raw). */
export interface ServiceSource {
  id: string;
  instructor_id: string;
  skill: string;
  hourly_rate: number | string;
  durations: unknown;
  location_types: unknown;
}

/** One searchable instructor: the text `q` and `area` match (lower-cased) and what bookable days depend on. */
export interface SearchDoc {
  instructor_id: string;
  name_lc: string;
  bio_lc: string;
  area_keys: string;
  /** Distinct active skills, lower-cased, one per line. */
  skills_lc: string;
  timezone: string;
  buffer_minutes: number;
  min_advance_hours: number;
  shortest_minutes: number;
}

/** One active service of a listed instructor: what skill, price and location filters and the sorts walk. */
export interface SearchEntry {
  service_id: string;
  skill_lc: string;
  hourly_rate: number;
  /** '|in_person|online|' */
  location_keys: string;
  /** The instructor's cheapest active service (rate, then id): the one row an unfiltered search reads. */
  cheapest: boolean;
}

const shortest = (durations: number[]) => (durations.length > 0 ? Math.min(...durations) : 0);

/** What search shows of an instructor, or null when not listed (unpublished, or no active service). */
export function listing(p: ProfileSource, services: (Omit<ServiceSource, 'durations' | 'location_types'> & { durations: number[]; location_types: string[] })[]) {
  if (!p.published || services.length === 0) return null;
  const byPrice = [...services].sort((a, b) => Number(a.hourly_rate) - Number(b.hourly_rate) || (a.id < b.id ? -1 : 1));
  const cheapest = byPrice[0]?.id;
  const doc: SearchDoc = {
    instructor_id: p.user_id,
    name_lc: p.full_name.toLowerCase(),
    bio_lc: p.bio.toLowerCase(),
    area_keys: p.area_keys,
    skills_lc: [...new Set(services.map((s) => s.skill.toLowerCase()))].join('\n'),
    timezone: p.timezone,
    buffer_minutes: Number(p.buffer_minutes),
    min_advance_hours: Number(p.min_advance_hours),
    shortest_minutes: shortest(services.flatMap((s) => s.durations)),
  };
  const entries: SearchEntry[] = services.map((s) => ({
    service_id: s.id,
    skill_lc: s.skill.toLowerCase(),
    hourly_rate: Number(s.hourly_rate),
    location_keys: `|${s.location_types.join('|')}|`,
    cheapest: s.id === cheapest,
  }));
  return { doc, entries, full_name: p.full_name };
}
