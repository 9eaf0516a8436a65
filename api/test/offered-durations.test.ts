import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

/** Search and public availability only count lesson lengths an active service offers. */

type Inst = Awaited<ReturnType<typeof publishedInstructor>>;
const DAY = '2026-07-06';

describe('offered durations', () => {
  let app: TestApp;
  const SKILL = 'Theremin';
  const teacher = async (durations: number[], end_time: string) => {
    const inst = await publishedInstructor(app, { skill: SKILL, days: [{ date: DAY, ranges: [{ start_time: '09:00', end_time }] }] });
    const res = await call(app, 'PATCH', `/v1/me/services/${inst.serviceId}`, { token: inst.token, body: { durations } });
    expect(res.status).toBe(200);
    return inst;
  };
  const listedOn = async (date = DAY) => {
    const res = await call(app, 'GET', `/v1/instructors?skill=${SKILL}&available_on=${date}&limit=50`);
    expect(res.status).toBe(200);
    return (res.body.data as { id: string }[]).map((h) => h.id);
  };
  let tight: Inst;
  let fits: Inst;
  let onlyInactiveFits: Inst;
  let fragmented: Inst;

  beforeAll(async () => {
    app = await startTestApp();
    // 45 free minutes, shortest lesson 60: nothing fits.
    tight = await teacher([60, 90], '09:45');
    fits = await teacher([60, 90], '10:00');
    // Only an inactive service would fit a 30-minute lesson in the 60 free minutes.
    onlyInactiveFits = await teacher([90], '10:00');
    const old = await call(app, 'POST', '/v1/me/services', { token: onlyInactiveFits.token, body: { skill: 'Old theremin', hourly_rate: 100, currency: 'EUR', durations: [30], location_types: ['online'] } });
    await call(app, 'PATCH', `/v1/me/services/${old.body.id}`, { token: onlyInactiveFits.token, body: { active: false } });
    // Two free hours cut by a booking into two half hours: free time, but no 60-minute lesson.
    fragmented = await teacher([60], '11:00');
    const student = await registerUser(app, 'student');
    const b = await call(app, 'POST', '/v1/bookings', { token: student.token, body: { instructor_id: fragmented.id, service_id: fragmented.serviceId, date: DAY, start_time: '09:30', duration_minutes: 60, location_type: 'online' } });
    expect(b.status).toBe(201);
  });
  afterAll(async () => app?.close());

  it('available_on lists an instructor only if a lesson of some offered duration (active service) fits that day', async () => {
    const ids = await listedOn();
    expect(ids).toContain(fits.id);
    expect(ids).not.toContain(tight.id);
    expect(ids).not.toContain(onlyInactiveFits.id);
    expect(ids).not.toContain(fragmented.id);
    // The fragmented day still has free time to show.
    const free = await call(app, 'GET', `/v1/instructors/${fragmented.id}/availability?from=${DAY}&to=${DAY}`);
    expect(free.body.days[0].ranges).toEqual([{ start_time: '09:00', end_time: '09:30' }, { start_time: '10:30', end_time: '11:00' }]);
  });

  it('public start_times only for a duration an active service offers, else 422 invalid_duration', async () => {
    const path = (inst: Inst, d: number) => `/v1/instructors/${inst.id}/availability?from=${DAY}&to=${DAY}&duration_minutes=${d}`;
    const offered = await call(app, 'GET', path(fits, 60));
    expect(offered.status).toBe(200);
    expect(offered.body.days[0].start_times).toEqual(['09:00']);
    for (const [inst, d] of [[fits, 45], [fits, 30], [onlyInactiveFits, 30]] as const) {
      const res = await call(app, 'GET', path(inst, d));
      expect([res.status, res.body.code]).toEqual([422, 'invalid_duration']);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    // Asking twice gives the same answer (a refusal is not cached as a success).
    const again = await call(app, 'GET', path(fits, 45));
    expect([again.status, again.body.code]).toEqual([422, 'invalid_duration']);
  });

  it('follows service changes at once', async () => {
    const res = await call(app, 'PATCH', `/v1/me/services/${tight.serviceId}`, { token: tight.token, body: { durations: [30, 60] } });
    expect(res.status).toBe(200);
    expect(await listedOn()).toContain(tight.id);
    const starts = await call(app, 'GET', `/v1/instructors/${tight.id}/availability?from=${DAY}&to=${DAY}&duration_minutes=30`);
    expect([starts.status, starts.body.days[0].start_times]).toEqual([200, ['09:00', '09:15']]);
  });
});
