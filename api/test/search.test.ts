import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type ApiResponse, type TestApp } from './harness.js';

const day = (date: string) => ({ date, ranges: [{ start_time: '09:00', end_time: '12:00' }] });

describe('public search', () => {
  let app: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    const alice = await publishedInstructor(app, { skill: 'Piano', hourly_rate: 6000, areas: ['Berlin Mitte'], days: [day('2026-07-08')] });
    const bob = await publishedInstructor(app, { skill: 'Guitar', hourly_rate: 3000, areas: ['Kreuzberg'], days: [day('2026-07-06')] });
    const carla = await publishedInstructor(app, { skill: 'Singing', hourly_rate: 9000, areas: ['Potsdam'] });
    const named = [
      [alice, 'Alice Keys', 'Classical training for beginners'],
      [bob, 'Bob Strings', 'Rock and BLUES'],
      [carla, 'Carla Voice', 'Opera coach'],
    ] as const;
    for (const [inst, full_name, bio] of named) {
      expect((await call(app, 'PATCH', '/v1/me', { token: inst.token, body: { full_name } })).status).toBe(200);
      expect((await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { bio } })).status).toBe(200);
    }
    await call(app, 'PATCH', `/v1/me/services/${carla.serviceId}`, { token: carla.token, body: { location_types: ['student_home'] } });
    ids.alice = alice.id;
    ids.bob = bob.id;
    ids.carla = carla.id;

    // Not public: unpublished, and published without an active service.
    const dora = await publishedInstructor(app, { skill: 'Piano', hourly_rate: 5000, days: [day('2026-07-06')] });
    await call(app, 'PATCH', '/v1/me', { token: dora.token, body: { full_name: 'Dora Hidden' } });
    await call(app, 'PUT', '/v1/me/instructor-profile', { token: dora.token, body: { published: false } });
    ids.dora = dora.id;
    const eve = await publishedInstructor(app, { skill: 'Piano', hourly_rate: 5000 });
    await call(app, 'PATCH', '/v1/me', { token: eve.token, body: { full_name: 'Eve Inactive' } });
    await call(app, 'PATCH', `/v1/me/services/${eve.serviceId}`, { token: eve.token, body: { active: false } });
    ids.eve = eve.id;
    // An instructor who never published or created a service.
    ids.fred = (await registerUser(app, 'instructor', { full_name: 'Fred Fresh' })).id;
  });
  afterAll(async () => app.close());

  async function names(query: string): Promise<string[]> {
    const res = await call(app, 'GET', `/v1/instructors${query}`);
    expect(res.status).toBe(200);
    return res.body.data.map((i: { full_name: string }) => i.full_name);
  }

  it('lists only published instructors with an active service, by name, without credentials', async () => {
    const res = await call(app, 'GET', '/v1/instructors');
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.data.map((i: { full_name: string }) => i.full_name)).toEqual(['Alice Keys', 'Bob Strings', 'Carla Voice']);
    expect(res.body.data[0]).toEqual({
      id: ids.alice,
      full_name: 'Alice Keys',
      bio: 'Classical training for beginners',
      timezone: 'Europe/Berlin',
      service_areas: ['Berlin Mitte'],
      skills: ['Piano'],
      location_types: ['in_person', 'online'],
      min_hourly_rate: { amount: 6000, currency: 'EUR' },
    });
  });

  it('q matches name, bio, skill and service area, case-insensitively', async () => {
    expect(await names('?q=alice')).toEqual(['Alice Keys']);
    expect(await names('?q=blues')).toEqual(['Bob Strings']);
    expect(await names('?q=GUITAR')).toEqual(['Bob Strings']);
    expect(await names('?q=opera')).toEqual(['Carla Voice']);
    expect(await names('?q=potsdam')).toEqual(['Carla Voice']);
    expect(await names('?q=hidden')).toEqual([]);
    expect(await names('?q=nothing-like-this')).toEqual([]);
  });

  it('accepts form-encoded and unencoded reserved characters in q, skill and area', async () => {
    expect(await names('?q=classical+training')).toEqual(['Alice Keys']);
    expect(await names('?area=berlin+mitte')).toEqual(['Alice Keys']);
    expect(await names("?q=rock+and+blues!")).toEqual([]);
    expect(await names('?q=(guitar)')).toEqual([]);
    expect(await names('?skill=guitar,piano')).toEqual([]);
  });

  it('skill and area match case-insensitively and exactly', async () => {
    expect(await names('?skill=piano')).toEqual(['Alice Keys']);
    expect(await names('?skill=PIAN')).toEqual([]);
    expect(await names('?area=berlin%20mitte')).toEqual(['Alice Keys']);
    expect(await names('?area=BERLIN%20MITTE')).toEqual(['Alice Keys']);
    expect(await names('?area=Berlin')).toEqual([]);
    expect(await names('?area=Mitte')).toEqual([]);
  });

  it('filters on price and location type', async () => {
    expect(await names('?min_price=5000')).toEqual(['Alice Keys', 'Carla Voice']);
    expect(await names('?max_price=5000')).toEqual(['Bob Strings']);
    expect(await names('?min_price=6000&max_price=6000')).toEqual(['Alice Keys']);
    expect(await names('?location_type=student_home')).toEqual(['Carla Voice']);
    expect(await names('?location_type=online')).toEqual(['Alice Keys', 'Bob Strings']);
    const bad = await call(app, 'GET', '/v1/instructors?min_price=7000&max_price=5000');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_error');
  });

  it('available_on keeps instructors with free time that date', async () => {
    expect(await names('?available_on=2026-07-06')).toEqual(['Bob Strings']);
    expect(await names('?available_on=2026-07-08')).toEqual(['Alice Keys']);
    expect(await names('?available_on=2026-07-07')).toEqual([]);
  });

  it('sorts by price, -price, name and soonest', async () => {
    expect(await names('?sort=price')).toEqual(['Bob Strings', 'Alice Keys', 'Carla Voice']);
    expect(await names('?sort=-price')).toEqual(['Carla Voice', 'Alice Keys', 'Bob Strings']);
    expect(await names('?sort=name')).toEqual(['Alice Keys', 'Bob Strings', 'Carla Voice']);
    // Soonest free date first; an instructor without availability comes last.
    expect(await names('?sort=soonest')).toEqual(['Bob Strings', 'Alice Keys', 'Carla Voice']);
    const bad = await call(app, 'GET', '/v1/instructors?sort=rating');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_error');
  });

  it.each(['name', 'price', '-price', 'soonest'])('pages through every result with limit=1 (sort=%s) without duplicates', async (sort) => {
    const all = await names(`?sort=${sort}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: ApiResponse = await call(app, 'GET', `/v1/instructors?sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data).toHaveLength(1);
      seen.push(res.body.data[0].full_name);
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(3);
  });

  it('pages a filtered search', async () => {
    const first = await call(app, 'GET', '/v1/instructors?limit=1&location_type=online');
    expect(first.body.data.map((i: { full_name: string }) => i.full_name)).toEqual(['Alice Keys']);
    const second = await call(app, 'GET', `/v1/instructors?limit=1&location_type=online&cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(second.body.data.map((i: { full_name: string }) => i.full_name)).toEqual(['Bob Strings']);
    expect(second.body.next_cursor).toBeNull();
  });

  it('rejects unknown query parameters and bad values', async () => {
    const unknown = await call(app, 'GET', '/v1/instructors?color=blue');
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('validation_error');
    const date = await call(app, 'GET', '/v1/instructors?available_on=2026-02-30');
    expect(date.status).toBe(400);
    expect(date.body.code).toBe('invalid_date');
    const price = await call(app, 'GET', '/v1/instructors?min_price=cheap');
    expect(price.status).toBe(400);
    expect(price.body.code).toBe('validation_error');
    const cursor = await call(app, 'GET', '/v1/instructors?cursor=garbage');
    expect(cursor.status).toBe(400);
    expect(cursor.body.code).toBe('validation_error');
  });

  describe('detail', () => {
    it('shows a public instructor with active services', async () => {
      const res = await call(app, 'GET', `/v1/instructors/${ids.alice}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: ids.alice, full_name: 'Alice Keys', timezone: 'Europe/Berlin', min_advance_hours: 2, buffer_minutes: 0, service_areas: ['Berlin Mitte'] });
      expect(res.body.services).toHaveLength(1);
      expect(res.body.services[0]).toMatchObject({ skill: 'Piano', hourly_rate: 6000, active: true });
    });

    it('is 404 for unpublished, service-less, never-published and unknown instructors', async () => {
      for (const id of [ids.dora, ids.eve, ids.fred, '00000000-0000-4000-8000-000000000000']) {
        const res = await call(app, 'GET', `/v1/instructors/${id}`);
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
      const malformed = await call(app, 'GET', '/v1/instructors/not-a-uuid');
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('validation_error');
    });
  });
});
