import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../api/test/harness.js';
import { createClient, InstaInstruError, paginate } from '../src/index.js';
import { failure, signUp } from './helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const morning = [{ start_time: '09:00', end_time: '12:00' }];

describe('an instructor setting up', () => {
  it('reads and updates the profile', async () => {
    const { client } = await signUp(app.url, 'instructor');
    const before = await client.profile.get();
    expect(before.published).toBe(false);
    const after = await client.profile.update({ bio: 'Jazz piano', published: true, service_areas: ['Berlin Mitte'], buffer_minutes: 15 });
    expect(after).toMatchObject({ bio: 'Jazz piano', published: true, service_areas: ['Berlin Mitte'], buffer_minutes: 15 });
  });

  it('creates, lists, updates and removes services', async () => {
    const { client } = await signUp(app.url, 'instructor');
    const piano = await client.services.create({ skill: 'Piano', hourly_rate: 4500, durations: [30, 60], location_types: ['online'] });
    expect(piano).toMatchObject({ skill: 'Piano', currency: 'EUR', active: true });
    await client.services.create({ skill: 'Guitar', hourly_rate: 4000, durations: [60], location_types: ['in_person'] });

    const page = await client.services.list({ limit: 1 });
    expect(page.data).toHaveLength(1);
    const all = [];
    for await (const service of paginate(client.services.list, { limit: 1 })) all.push(service.skill);
    expect(all.sort()).toEqual(['Guitar', 'Piano']);

    const updated = await client.services.update({ service_id: piano.id, hourly_rate: 5000 });
    expect(updated.hourly_rate).toBe(5000);
    expect(await client.services.remove({ service_id: piano.id })).toBeUndefined();
    expect((await client.services.list()).data.map((s) => s.skill)).toEqual(['Guitar']);

    const missing = await failure(client.services.update({ service_id: piano.id, hourly_rate: 1 }));
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('saves days, sets and clears one day, copies a week and applies a pattern', async () => {
    const { client } = await signUp(app.url, 'instructor');
    const saved = await client.availability.saveDays({
      days: [
        { date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '10:00' }, { start_time: '10:00', end_time: '12:00' }] },
        { date: '2026-07-07', ranges: [{ start_time: '14:00', end_time: '18:00' }] },
      ],
    });
    expect(saved.days[0]).toEqual({ date: '2026-07-06', ranges: morning });
    expect(saved.bookings_outside).toEqual([]);

    const day = await client.availability.setDay({ date: '2026-07-08', ranges: morning });
    expect(day.days).toEqual([{ date: '2026-07-08', ranges: morning }]);
    const cleared = await client.availability.clearDay({ date: '2026-07-07' });
    expect(cleared.days).toEqual([{ date: '2026-07-07', ranges: [] }]);

    const copied = await client.availability.copyWeek({ source_week_start: '2026-07-06', target_week_start: '2026-07-13' });
    expect(copied.days).toHaveLength(7);
    const applied = await client.availability.applyPattern({ source_week_start: '2026-07-06', start_date: '2026-07-20', end_date: '2026-07-22' });
    expect(applied.days.map((d) => d.date)).toEqual(['2026-07-20', '2026-07-21', '2026-07-22']);

    const calendar = await client.availability.get({ from: '2026-07-13', to: '2026-07-22' });
    const ranges = Object.fromEntries(calendar.days.map((d) => [d.date, d.ranges]));
    expect(ranges['2026-07-13']).toEqual(morning);
    expect(ranges['2026-07-14']).toEqual([]);
    expect(ranges['2026-07-15']).toEqual(morning);
    expect(ranges['2026-07-20']).toEqual(morning);
    expect(ranges['2026-07-22']).toEqual(morning);

    const backwards = await failure(client.availability.get({ from: '2026-07-22', to: '2026-07-13' }));
    expect(backwards).toMatchObject({ status: 400, code: 'invalid_date' });
    const notMonday = await failure(client.availability.copyWeek({ source_week_start: '2026-07-07', target_week_start: '2026-07-13' }));
    expect(notMonday).toMatchObject({ status: 400, code: 'invalid_date' });
  });

  it('adds, lists and removes blackouts', async () => {
    const { client } = await signUp(app.url, 'instructor');
    const added = await client.blackouts.add({ date: '2026-08-03', reason: 'Vacation' });
    expect(added).toMatchObject({ date: '2026-08-03', reason: 'Vacation', bookings_outside: [] });
    await client.blackouts.add({ date: '2026-08-04' });
    expect((await client.blackouts.list({ from: '2026-08-04' })).data.map((b) => b.date)).toEqual(['2026-08-04']);
    await client.blackouts.remove({ date: '2026-08-03' });
    expect((await client.blackouts.list()).data.map((b) => b.date)).toEqual(['2026-08-04']);
  });

  it('creates a secret API key, authenticates with it, lists and revokes it', async () => {
    const { client, user } = await signUp(app.url, 'instructor');
    const key = await client.apiKeys.create({ name: 'Nightly script' });
    expect(key.secret).toMatch(/^ii_live_/);

    const script = createClient({ baseUrl: app.url, apiKey: key.secret });
    expect((await script.me.get()).id).toBe(user.id);
    expect((await client.apiKeys.list()).data.map((k) => k.name)).toEqual(['Nightly script']);
    // A key cannot manage keys: only a signed-in session can.
    expect(await failure(script.apiKeys.list())).toMatchObject({ status: 403, code: 'forbidden' });

    await client.apiKeys.revoke({ key_id: key.id });
    const error = await failure(script.me.get());
    expect(error).toBeInstanceOf(InstaInstruError);
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('reads public endpoints with a publishable key from an allowed origin only', async () => {
    const { client } = await signUp(app.url, 'instructor');
    const key = await client.apiKeys.create({ name: 'Widget', type: 'publishable', allowed_origins: ['https://school.example.com'] });
    expect(key.secret).toMatch(/^pk_live_/);

    const widget = createClient({ baseUrl: app.url, publishableKey: key.secret, headers: { origin: 'https://school.example.com' } });
    expect(Array.isArray((await widget.instructors.search()).data)).toBe(true);

    const elsewhere = createClient({ baseUrl: app.url, publishableKey: key.secret, headers: { origin: 'https://evil.example.com' } });
    expect(await failure(elsewhere.instructors.search())).toMatchObject({ status: 403, code: 'origin_not_allowed' });
    // The API records key use in the background; one more (serialized) write lets it finish before the app closes.
    await client.apiKeys.revoke({ key_id: key.id });
  });
});
