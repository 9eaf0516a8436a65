import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerUser, startTestApp, type TestApp } from './harness.js';

const PIANO = { skill: 'Piano', hourly_rate: 6000, currency: 'EUR', durations: [60, 30, 90], location_types: ['in_person', 'online'] };

describe('services', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const create = (token: string, body: Record<string, unknown>) => call(app, 'POST', '/v1/me/services', { token, body });

  it('creates a service (201) with sorted durations, an id and active: true', async () => {
    const inst = await registerUser(app, 'instructor');
    const res = await create(inst.token, { ...PIANO, skill: '  Piano  ', description: 'All levels' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ skill: 'Piano', hourly_rate: 6000, currency: 'EUR', durations: [30, 60, 90], location_types: ['in_person', 'online'], description: 'All levels', active: true });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).not.toHaveProperty('instructor_id');
  });

  it('defaults the currency to EUR and the description to empty', async () => {
    const inst = await registerUser(app, 'instructor');
    const res = await create(inst.token, { skill: 'Yoga', hourly_rate: 4000, durations: [60], location_types: ['online'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ currency: 'EUR', description: '' });
  });

  it('lists with cursor pagination', async () => {
    const inst = await registerUser(app, 'instructor');
    const ids: string[] = [];
    for (const skill of ['A', 'B', 'C']) ids.push((await create(inst.token, { ...PIANO, skill })).body.id);
    const page1 = await call(app, 'GET', '/v1/me/services?limit=2', { token: inst.token });
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await call(app, 'GET', `/v1/me/services?limit=2&cursor=${encodeURIComponent(page1.body.next_cursor)}`, { token: inst.token });
    expect(page2.status).toBe(200);
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.next_cursor).toBeNull();
    const all = [...page1.body.data, ...page2.body.data].map((s: { id: string }) => s.id);
    expect(new Set(all).size).toBe(3);
    expect(all).toEqual(ids);
  });

  it('rejects a tampered cursor and a limit out of range', async () => {
    const inst = await registerUser(app, 'instructor');
    const bad = await call(app, 'GET', '/v1/me/services?cursor=not-a-cursor', { token: inst.token });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation_error');
    const limit = await call(app, 'GET', '/v1/me/services?limit=101', { token: inst.token });
    expect(limit.status).toBe(400);
    expect(limit.body.code).toBe('validation_error');
    const zero = await call(app, 'GET', '/v1/me/services?limit=0', { token: inst.token });
    expect(zero.status).toBe(400);
  });

  it('patches a service', async () => {
    const inst = await registerUser(app, 'instructor');
    const svc = await create(inst.token, PIANO);
    const res = await call(app, 'PATCH', `/v1/me/services/${svc.body.id}`, { token: inst.token, body: { hourly_rate: 7500, durations: [45, 15] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: svc.body.id, skill: 'Piano', hourly_rate: 7500, durations: [15, 45], location_types: ['in_person', 'online'] });
    const off = await call(app, 'PATCH', `/v1/me/services/${svc.body.id}`, { token: inst.token, body: { active: false } });
    expect(off.body.active).toBe(false);
    const list = await call(app, 'GET', '/v1/me/services', { token: inst.token });
    expect(list.body.data[0]).toMatchObject({ hourly_rate: 7500, active: false });
  });

  it('deletes a service without bookings (204)', async () => {
    const inst = await registerUser(app, 'instructor');
    const svc = await create(inst.token, PIANO);
    const res = await call(app, 'DELETE', `/v1/me/services/${svc.body.id}`, { token: inst.token });
    expect(res.status).toBe(204);
    expect((await call(app, 'GET', '/v1/me/services', { token: inst.token })).body.data).toEqual([]);
    const again = await call(app, 'DELETE', `/v1/me/services/${svc.body.id}`, { token: inst.token });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('not_found');
  });

  it.each([
    [{ ...PIANO, durations: [50] }, '/body/durations/0'],
    [{ ...PIANO, durations: [0] }, '/body/durations/0'],
    [{ ...PIANO, durations: [495] }, '/body/durations/0'],
    [{ ...PIANO, durations: [] }, '/body/durations'],
    [{ ...PIANO, durations: [30, 30] }, '/body/durations'],
    [{ ...PIANO, location_types: ['moon'] }, '/body/location_types/0'],
    [{ ...PIANO, location_types: [] }, '/body/location_types'],
    [{ ...PIANO, hourly_rate: -1 }, '/body/hourly_rate'],
    [{ ...PIANO, hourly_rate: 10.5 }, '/body/hourly_rate'],
    [{ ...PIANO, currency: 'eur' }, '/body/currency'],
    [{ ...PIANO, skill: '' }, '/body/skill'],
    [{ ...PIANO, instructor_id: '00000000-0000-4000-8000-000000000000' }, '/body'],
  ])('rejects %j with 400 validation_error', async (body, pathPrefix) => {
    const inst = await registerUser(app, 'instructor');
    const res = await create(inst.token, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.errors.some((e: { path: string }) => e.path.startsWith(pathPrefix))).toBe(true);
  });

  it('rejects a patch with a duration that is not a multiple of 15, and an empty patch', async () => {
    const inst = await registerUser(app, 'instructor');
    const svc = await create(inst.token, PIANO);
    const res = await call(app, 'PATCH', `/v1/me/services/${svc.body.id}`, { token: inst.token, body: { durations: [20] } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    const empty = await call(app, 'PATCH', `/v1/me/services/${svc.body.id}`, { token: inst.token, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('validation_error');
  });

  it("another instructor's service is 404 for patch and delete", async () => {
    const owner = await registerUser(app, 'instructor');
    const other = await registerUser(app, 'instructor');
    const svc = await create(owner.token, PIANO);
    const patch = await call(app, 'PATCH', `/v1/me/services/${svc.body.id}`, { token: other.token, body: { hourly_rate: 1 } });
    expect(patch.status).toBe(404);
    expect(patch.body.code).toBe('not_found');
    const del = await call(app, 'DELETE', `/v1/me/services/${svc.body.id}`, { token: other.token });
    expect(del.status).toBe(404);
    expect(del.body.code).toBe('not_found');
    expect((await call(app, 'GET', '/v1/me/services', { token: other.token })).body.data).toEqual([]);
    const mine = await call(app, 'GET', '/v1/me/services', { token: owner.token });
    expect(mine.body.data).toHaveLength(1);
    expect(mine.body.data[0].hourly_rate).toBe(6000);
  });

  it('an unknown or malformed service id', async () => {
    const inst = await registerUser(app, 'instructor');
    const unknown = await call(app, 'PATCH', '/v1/me/services/00000000-0000-4000-8000-000000000000', { token: inst.token, body: { hourly_rate: 1 } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    const malformed = await call(app, 'DELETE', '/v1/me/services/42', { token: inst.token });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('validation_error');
  });

  it('is for instructors only', async () => {
    const student = await registerUser(app, 'student');
    const res = await create(student.token, PIANO);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    const list = await call(app, 'GET', '/v1/me/services', { token: student.token });
    expect(list.status).toBe(403);
    expect(list.body.code).toBe('forbidden');
  });
});
