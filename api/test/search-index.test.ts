import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type ApiResponse, type TestApp } from './harness.js';
import { normalizeArea } from '../src/instructors/repository.js';
import { addDays } from '../src/platform/time.js';
import { searchRepository, type SearchFilters } from '../src/instructors/search-repository.js';
import { publicNow } from '../src/instructors/public-service.js';

/**
 * The search index (search_entries, pg_trgm / FTS5, maintained bookable days) must answer exactly
 * what the public endpoints say: the oracle below rebuilds every answer from GET /v1/instructors/{id}
 * and its availability (the semantics search had before the index) and compares whole result lists.
 */
const TODAY = '2026-07-01';
const WINDOW = Array.from({ length: 14 }, (_, i) => addDays(TODAY, i - 1));
const range = (start_time: string, end_time: string) => ({ start_time, end_time });

interface Known {
  id: string;
  full_name: string;
  bio: string;
  areas: string[];
  services: { skill: string; hourly_rate: number; durations: number[]; location_types: string[] }[];
  /** Dates of the window on which a lesson of the shortest offered length can start. */
  bookable: Set<string>;
}

async function catalog(app: TestApp, ids: string[]): Promise<Known[]> {
  const out: Known[] = [];
  for (const id of ids) {
    const detail = await call(app, 'GET', `/v1/instructors/${id}`);
    if (detail.status === 404) continue;
    const services = detail.body.services as Known['services'];
    const shortest = Math.min(...services.flatMap((s) => s.durations));
    const days = await call(app, 'GET', `/v1/instructors/${id}/availability?from=${WINDOW[0]}&to=${WINDOW[WINDOW.length - 1]}&duration_minutes=${shortest}`);
    expect(days.status).toBe(200);
    const bookable = new Set<string>((days.body.days as { date: string; start_times: string[] }[]).filter((d) => d.start_times.length > 0).map((d) => d.date));
    out.push({ id, full_name: detail.body.full_name, bio: detail.body.bio, areas: detail.body.service_areas, services, bookable });
  }
  return out;
}

type Query = Record<string, string | number>;

/** What search answers for a query, computed from the public data alone (the pre-index semantics). */
function expected(all: Known[], q: Query): string[] {
  const matches = (s: Known['services'][number]) =>
    (q.skill === undefined || s.skill.toLowerCase() === String(q.skill).trim().toLowerCase()) &&
    (q.min_price === undefined || s.hourly_rate >= Number(q.min_price)) &&
    (q.max_price === undefined || s.hourly_rate <= Number(q.max_price)) &&
    (q.location_type === undefined || s.location_types.includes(String(q.location_type)));
  const rows = all.flatMap((k) => {
    const matching = k.services.filter(matches);
    if (matching.length === 0) return [];
    if (q.area !== undefined && !k.areas.map(normalizeArea).includes(normalizeArea(String(q.area)))) return [];
    if (q.q !== undefined) {
      const needle = String(q.q).trim().toLowerCase();
      const hay = [k.full_name.toLowerCase(), k.bio.toLowerCase(), `|${k.areas.map(normalizeArea).join('|')}|`, ...k.services.map((s) => s.skill.toLowerCase())];
      if (!hay.some((h) => h.includes(needle))) return [];
    }
    if (q.available_on !== undefined && !k.bookable.has(String(q.available_on))) return [];
    const rate = Math.min(...matching.map((s) => s.hourly_rate));
    const soonest = [...k.bookable].sort()[0] ?? '9999-12-31';
    return [{ k, rate, soonest }];
  });
  const sort = String(q.sort ?? 'name');
  const key = (r: (typeof rows)[number]): (string | number)[] =>
    sort === 'price' ? [r.rate] : sort === '-price' ? [-r.rate] : sort === 'soonest' ? [r.soonest] : [];
  const cmp = (a: (typeof rows)[number], b: (typeof rows)[number]) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return (ka[i] as number | string) < (kb[i] as number | string) ? -1 : 1;
    if (a.k.full_name !== b.k.full_name) return a.k.full_name < b.k.full_name ? -1 : 1;
    return a.k.id < b.k.id ? -1 : 1;
  };
  return rows.sort(cmp).map((r) => r.k.full_name);
}

const QUERIES: Query[] = [
  {},
  { skill: 'piano' },
  { skill: ' GUITAR ' },
  { q: 'things' },
  { q: 'an' },
  { q: 'PIA' },
  { q: 'mitte' },
  { q: '%' },
  { q: 'e|k' },
  { area: 'berlin mitte' },
  { area: 'Kreuzberg' },
  { min_price: 4000 },
  { max_price: 4000 },
  { min_price: 3500, max_price: 6500 },
  { location_type: 'online' },
  { location_type: 'student_home' },
  { available_on: '2026-07-01' },
  { available_on: '2026-07-02' },
  { available_on: '2026-07-03' },
  { available_on: '2026-07-04' },
  { skill: 'piano', min_price: 5000 },
  { skill: 'guitar', location_type: 'online' },
  { q: 'a', area: 'berlin mitte' },
  { skill: 'piano', available_on: '2026-07-02' },
];
const SORTS = ['name', 'price', '-price', 'soonest'];

describe('search index', () => {
  let app: TestApp;
  const ids: string[] = [];
  const tokens: Record<string, string> = {};
  const service: Record<string, string> = {};

  async function named(opts: Parameters<typeof publishedInstructor>[1] & { name: string; bio?: string }) {
    const inst = await publishedInstructor(app, opts);
    expect((await call(app, 'PATCH', '/v1/me', { token: inst.token, body: { full_name: opts.name } })).status).toBe(200);
    if (opts.bio) expect((await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { bio: opts.bio } })).status).toBe(200);
    ids.push(inst.id);
    tokens[opts.name] = inst.token;
    service[opts.name] = inst.serviceId;
    return inst;
  }

  async function names(q: Query): Promise<string[]> {
    const params = new URLSearchParams(Object.entries({ limit: 100, ...q }).map(([k, v]) => [k, String(v)]));
    const res = await call(app, 'GET', `/v1/instructors?${params}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.map((i: { full_name: string }) => i.full_name);
  }

  async function expectAllAgree(): Promise<void> {
    const all = await catalog(app, ids);
    for (const q of QUERIES) {
      for (const sort of SORTS) {
        const query = { ...q, sort };
        expect(await names(query), JSON.stringify(query)).toEqual(expected(all, query));
      }
    }
  }

  beforeAll(async () => {
    app = await startTestApp({ now: new Date(`${TODAY}T08:00:00Z`) });
    const ada = await named({ name: 'Ada Piano', bio: 'Classical things, patiently', skill: 'Piano', hourly_rate: 6000, durations: [60], areas: ['Berlin Mitte'], days: [{ date: '2026-07-02', ranges: [range('09:00', '12:00')] }, { date: '2026-07-05', ranges: [range('14:00', '16:00')] }] });
    await call(app, 'POST', '/v1/me/services', { token: ada.token, body: { skill: 'Guitar', hourly_rate: 3000, currency: 'EUR', durations: [30, 60], location_types: ['online'] } });
    await named({ name: 'Ben Guitar', bio: 'Rock and blues', skill: 'Guitar', hourly_rate: 4000, timezone: 'America/New_York', buffer_minutes: 15, areas: ['Kreuzberg'], days: [{ date: '2026-07-01', ranges: [range('17:00', '19:00')] }] });
    const cleo = await named({ name: 'Cleo Voice', bio: 'Opera coach', skill: 'Singing', hourly_rate: 9000, areas: ['Potsdam'] });
    await call(app, 'PATCH', `/v1/me/services/${cleo.serviceId}`, { token: cleo.token, body: { location_types: ['student_home'] } });
    const dan = await named({ name: 'Dan Drums', bio: 'Loud things only', skill: 'Drums', hourly_rate: 5000, min_advance_hours: 48, areas: ['Berlin Mitte', 'Wedding'], days: [{ date: '2026-07-03', ranges: [range('10:00', '12:00')] }, { date: '2026-07-04', ranges: [range('10:00', '12:00')] }] });
    await call(app, 'POST', '/v1/me/blackouts', { token: dan.token, body: { date: '2026-07-04' } });
    const eva = await named({ name: 'Eva Yoga', bio: 'Breathe', skill: 'Yoga', hourly_rate: 2500, timezone: 'Asia/Tokyo', areas: ['Online'], days: [{ date: '2026-07-02', ranges: [range('06:00', '08:00')] }] });
    await call(app, 'POST', '/v1/me/services', { token: eva.token, body: { skill: 'Pilates', hourly_rate: 2500, currency: 'EUR', durations: [45], location_types: ['in_person'] } });
    const finn = await named({ name: 'Finn Hidden', skill: 'Piano', hourly_rate: 1000, days: [{ date: '2026-07-02', ranges: [range('09:00', '12:00')] }] });
    await call(app, 'PUT', '/v1/me/instructor-profile', { token: finn.token, body: { published: false } });
    const gus = await named({ name: 'Gus Inactive', skill: 'Piano', hourly_rate: 1000 });
    await call(app, 'PATCH', `/v1/me/services/${gus.serviceId}`, { token: gus.token, body: { active: false } });
    await named({ name: 'Hana Keys', bio: 'Jazz piano', skill: 'Piano', hourly_rate: 6000, durations: [60], areas: ['Berlin Mitte'], days: [{ date: '2026-07-02', ranges: [range('10:00', '11:00')] }] });
  });
  afterAll(async () => app.close());

  it('answers every filter and sort exactly as the public data says', async () => {
    expect(await names({ sort: 'name' })).toEqual(['Ada Piano', 'Ben Guitar', 'Cleo Voice', 'Dan Drums', 'Eva Yoga', 'Hana Keys']);
    await expectAllAgree();
  });

  it('answers the same whichever plan the match counts pick (a filter driving the query or checked during the walk)', async () => {
    const at = publicNow(app.clock.now()).at.getTime();
    const few = searchRepository(app.db, { manyAt: 1_000_000 });
    const many = searchRepository(app.db, { manyAt: 0 });
    for (const q of QUERIES) {
      for (const sort of SORTS) {
        const f = { ...q, sort, at } as unknown as SearchFilters;
        const [a, b] = [await few.search(f, 0, 100), await many.search(f, 0, 100)];
        expect(b.map((h) => h.full_name), JSON.stringify(q)).toEqual(a.map((h) => h.full_name));
      }
    }
  });

  it('pages with a cursor through a filtered, sorted search without gaps or repeats', async () => {
    for (const q of [{ sort: 'price' }, { sort: '-price', min_price: 2000 }, { sort: 'soonest' }, { sort: 'name', location_type: 'online' }] as Query[]) {
      const whole = await names(q);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const params: URLSearchParams = new URLSearchParams(Object.entries({ ...q, limit: 2, ...(cursor ? { cursor } : {}) }).map(([k, v]) => [k, String(v)]));
        const res: ApiResponse = await call(app, 'GET', `/v1/instructors?${params}`);
        seen.push(...res.body.data.map((i: { full_name: string }) => i.full_name));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual(whole);
    }
  });

  it('follows availability edits, blackouts, service and profile changes', async () => {
    await call(app, 'PUT', '/v1/me/availability/2026-07-03', { token: tokens['Hana Keys'], body: { ranges: [range('13:00', '15:00')] } });
    await call(app, 'DELETE', '/v1/me/blackouts/2026-07-04', { token: tokens['Dan Drums'] });
    await call(app, 'PUT', '/v1/me/availability/2026-07-02', { token: tokens['Ada Piano'], body: { ranges: [] } });
    await call(app, 'PATCH', `/v1/me/services/${service['Eva Yoga']}`, { token: tokens['Eva Yoga'], body: { hourly_rate: 7000, skill: 'Piano' } });
    await call(app, 'PUT', '/v1/me/instructor-profile', { token: tokens['Finn Hidden'], body: { published: true, service_areas: ['Kreuzberg'] } });
    await call(app, 'PATCH', '/v1/me', { token: tokens['Cleo Voice'], body: { full_name: 'Ali Voice' } });
    expect(await names({ available_on: '2026-07-04' })).toEqual(['Dan Drums']);
    expect(await names({ skill: 'piano', sort: 'price' })).toEqual(['Finn Hidden', 'Ada Piano', 'Hana Keys', 'Eva Yoga']);
    await expectAllAgree();
  });

  it('follows bookings, reschedules and cancellations: a full day is no longer bookable', async () => {
    const student = await registerUser(app, 'student');
    const hana = ids[ids.length - 1] as string;
    // Hana's only 2026-07-02 slot (10:00-11:00, 60-minute lessons) taken: not available that day, soonest moves to 07-03.
    const book = await call(app, 'POST', '/v1/bookings', {
      token: student.token,
      body: { instructor_id: hana, service_id: service['Hana Keys'], date: '2026-07-02', start_time: '10:00', duration_minutes: 60, location_type: 'online' },
    });
    expect(book.status, JSON.stringify(book.body)).toBe(201);
    expect(await names({ available_on: '2026-07-02', skill: 'piano' })).not.toContain('Hana Keys');
    await expectAllAgree();
    // Moved to 07-03 13:00: 07-02 is free again, 07-03 still has 14:00.
    const moved = await call(app, 'POST', `/v1/bookings/${book.body.id}/reschedule`, { token: student.token, body: { date: '2026-07-03', start_time: '13:00' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await names({ available_on: '2026-07-02', skill: 'piano' })).toContain('Hana Keys');
    await expectAllAgree();
    const second = await call(app, 'POST', '/v1/bookings', {
      token: student.token,
      body: { instructor_id: hana, service_id: service['Hana Keys'], date: '2026-07-03', start_time: '14:00', duration_minutes: 60, location_type: 'online' },
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(await names({ available_on: '2026-07-03', skill: 'piano' })).not.toContain('Hana Keys');
    await expectAllAgree();
    expect((await call(app, 'POST', `/v1/bookings/${second.body.id}/cancel`, { token: student.token, body: {} })).status).toBe(200);
    expect(await names({ available_on: '2026-07-03', skill: 'piano' })).toContain('Hana Keys');
    await expectAllAgree();
  });

  it('follows the clock: a day whose last bookable start has passed drops out, soonest moves on', async () => {
    // Ben (New York, 17:00-19:00 on 07-01, 30-minute lessons, 2 h notice): the last start is 18:30 New York = 22:30 UTC,
    // so the day is bookable while the public clock (now rounded up to 15 minutes) is at most 20:30 UTC.
    expect(await names({ available_on: '2026-07-01' })).toEqual(['Ben Guitar']);
    const soonestBefore = await names({ sort: 'soonest' });
    expect(soonestBefore[0]).toBe('Ben Guitar');
    app.clock.set(new Date('2026-07-01T20:29:00Z'));
    expect(await names({ available_on: '2026-07-01' })).toEqual(['Ben Guitar']);
    expect((await names({ sort: 'soonest' }))[0]).toBe('Ben Guitar');
    app.clock.set(new Date('2026-07-01T20:31:00Z'));
    expect(await names({ available_on: '2026-07-01' })).toEqual([]);
    // Ben has no other bookable day: he now sorts with those without one (by name), after everyone bookable.
    expect((await names({ sort: 'soonest' }))[0]).not.toBe('Ben Guitar');
    await expectAllAgree();
    // Two days on: 07-02 and 07-03 are past or too soon for everyone; the oracle agrees on every query.
    app.clock.set(new Date('2026-07-03T09:00:00Z'));
    await expectAllAgree();
  });
});

describe('cached searches', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date(`${TODAY}T08:00:00Z`) });
  });
  afterAll(async () => app.close());

  it('a change invalidates the searches of its skills and areas and the unfiltered ones, not the others', async () => {
    const piano = await publishedInstructor(app, { skill: 'Piano', areas: ['Mitte'], days: [{ date: '2026-07-02', ranges: [range('09:00', '12:00')] }] });
    const guitar = await publishedInstructor(app, { skill: 'Guitar', areas: ['Wedding'], days: [{ date: '2026-07-02', ranges: [range('09:00', '12:00')] }] });
    const cache = app.shared.cache;
    const versions = async () => ({
      piano: await cache.version('search:skill:piano'),
      guitar: await cache.version('search:skill:guitar'),
      mitte: await cache.version('search:area:mitte'),
      all: await cache.version('search:all'),
    });
    const read = async (query: string) => (await call(app, 'GET', `/v1/instructors?${query}`)).body.data.map((i: { id: string }) => i.id);
    expect(await read('skill=piano&available_on=2026-07-02')).toEqual([piano.id]);
    expect(await read('area=mitte&available_on=2026-07-02')).toEqual([piano.id]);
    // The guitar teacher changes price: piano and Mitte searches are untouched, guitar and unfiltered ones are invalidated.
    let before = await versions();
    await call(app, 'PATCH', `/v1/me/services/${guitar.serviceId}`, { token: guitar.token, body: { hourly_rate: 1000 } });
    let after = await versions();
    expect([after.piano, after.mitte]).toEqual([before.piano, before.mitte]);
    expect(after.guitar).toBeGreaterThan(before.guitar);
    expect(after.all).toBeGreaterThan(before.all);
    // A booking in the middle of a day changes no bookable day: no search is invalidated.
    const student = await registerUser(app, 'student');
    before = await versions();
    const booked = await call(app, 'POST', '/v1/bookings', { token: student.token, body: { instructor_id: guitar.id, service_id: guitar.serviceId, date: '2026-07-02', start_time: '10:00', duration_minutes: 30, location_type: 'online' } });
    expect(booked.status).toBe(201);
    expect(await versions()).toEqual(before);
    // The piano teacher closes 07-02: piano, Mitte and unfiltered searches change at once, guitar ones stay.
    before = await versions();
    await call(app, 'PUT', '/v1/me/availability/2026-07-02', { token: piano.token, body: { ranges: [] } });
    after = await versions();
    expect(after.guitar).toBe(before.guitar);
    expect([after.piano > before.piano, after.mitte > before.mitte, after.all > before.all]).toEqual([true, true, true]);
    expect(await read('skill=piano&available_on=2026-07-02')).toEqual([]);
    expect(await read('area=mitte&available_on=2026-07-02')).toEqual([]);
  });
});
