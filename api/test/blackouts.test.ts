import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

describe('blackouts', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const add = (token: string, body: Record<string, unknown>) => call(app, 'POST', '/v1/me/blackouts', { token, body });
  const list = (token: string, query = '') => call(app, 'GET', `/v1/me/blackouts${query}`, { token });

  it('adds a blackout (201); adding the same date again is 200 and keeps one', async () => {
    const inst = await registerUser(app, 'instructor');
    const first = await add(inst.token, { date: '2026-08-03', reason: 'Vacation' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ date: '2026-08-03', reason: 'Vacation', bookings_outside: [] });
    expect(first.body.created_at).toEqual(expect.any(String));
    const again = await add(inst.token, { date: '2026-08-03', reason: 'Other reason' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ date: '2026-08-03', reason: 'Vacation' });
    const res = await list(inst.token);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ date: '2026-08-03', reason: 'Vacation', created_at: first.body.created_at }]);
    expect(res.body.next_cursor).toBeNull();
  });

  it('adding the same date concurrently creates one blackout, never a 500', async () => {
    const inst = await registerUser(app, 'instructor');
    const results = await Promise.all(Array.from({ length: 5 }, () => add(inst.token, { date: '2026-08-20' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect((await list(inst.token)).body.data).toHaveLength(1);
  });

  it('stores a missing reason as null', async () => {
    const inst = await registerUser(app, 'instructor');
    const res = await add(inst.token, { date: '2026-08-04' });
    expect(res.status).toBe(201);
    expect(res.body.reason).toBeNull();
  });

  it('lists by date with from/to and paginates', async () => {
    const inst = await registerUser(app, 'instructor');
    for (const date of ['2026-08-05', '2026-08-01', '2026-08-03', '2026-08-10', '2026-09-01']) {
      expect((await add(inst.token, { date })).status).toBe(201);
    }
    const all = await list(inst.token);
    expect(all.body.data.map((b: { date: string }) => b.date)).toEqual(['2026-08-01', '2026-08-03', '2026-08-05', '2026-08-10', '2026-09-01']);
    const window = await list(inst.token, '?from=2026-08-03&to=2026-08-10');
    expect(window.body.data.map((b: { date: string }) => b.date)).toEqual(['2026-08-03', '2026-08-05', '2026-08-10']);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `?from=2026-08-02&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await list(inst.token, q);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((b: { date: string }) => b.date));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['2026-08-03', '2026-08-05', '2026-08-10', '2026-09-01']);
    expect(pages).toBe(2);
  });

  it('removes a blackout (204), also when it does not exist', async () => {
    const inst = await registerUser(app, 'instructor');
    await add(inst.token, { date: '2026-08-03' });
    const res = await call(app, 'DELETE', '/v1/me/blackouts/2026-08-03', { token: inst.token });
    expect(res.status).toBe(204);
    expect((await list(inst.token)).body.data).toEqual([]);
    expect((await call(app, 'DELETE', '/v1/me/blackouts/2026-08-03', { token: inst.token })).status).toBe(204);
  });

  it("does not touch another instructor's blackouts", async () => {
    const a = await registerUser(app, 'instructor');
    const b = await registerUser(app, 'instructor');
    await add(a.token, { date: '2026-08-03' });
    expect((await call(app, 'DELETE', '/v1/me/blackouts/2026-08-03', { token: b.token })).status).toBe(204);
    expect((await list(a.token)).body.data).toHaveLength(1);
    expect((await list(b.token)).body.data).toEqual([]);
    expect((await add(b.token, { date: '2026-08-03' })).status).toBe(201);
  });

  it('validates the date and the reason', async () => {
    const inst = await registerUser(app, 'instructor');
    const impossible = await add(inst.token, { date: '2026-02-30' });
    expect(impossible.status).toBe(400);
    expect(impossible.body.code).toBe('invalid_date');
    const shape = await add(inst.token, { date: 'tomorrow' });
    expect(shape.status).toBe(400);
    expect(shape.body.code).toBe('validation_error');
    const long = await add(inst.token, { date: '2026-08-03', reason: 'x'.repeat(201) });
    expect(long.status).toBe(400);
    expect(long.body.code).toBe('validation_error');
    expect((await list(inst.token)).body.data).toEqual([]);
  });

  it('is for instructors only', async () => {
    const student = await registerUser(app, 'student');
    const res = await add(student.token, { date: '2026-08-03' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await list(student.token)).status).toBe(403);
  });

  it('public availability shows no free time on a blackout date', async () => {
    const inst = await publishedInstructor(app, {
      days: [
        { date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '12:00' }] },
        { date: '2026-07-07', ranges: [{ start_time: '09:00', end_time: '12:00' }] },
      ],
    });
    await add(inst.token, { date: '2026-07-07' });
    const res = await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=2026-07-06&to=2026-07-07&duration_minutes=60`);
    expect(res.status).toBe(200);
    expect(res.body.days).toEqual([
      { date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '12:00' }], start_times: ['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00'] },
      { date: '2026-07-07', ranges: [], start_times: [] },
    ]);
    // The instructor's own ranges are kept; removing the blackout brings the time back.
    const own = await call(app, 'GET', '/v1/me/availability?from=2026-07-07&to=2026-07-07', { token: inst.token });
    expect(own.body.days[0].ranges).toEqual([{ start_time: '09:00', end_time: '12:00' }]);
    await call(app, 'DELETE', '/v1/me/blackouts/2026-07-07', { token: inst.token });
    const after = await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=2026-07-07&to=2026-07-07`);
    expect(after.body.days[0].ranges).toEqual([{ start_time: '09:00', end_time: '12:00' }]);
  });
});
