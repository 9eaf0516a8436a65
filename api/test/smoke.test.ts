import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, startTestApp, type TestApp } from './harness.js';

describe('smoke', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it('serves public availability of a published instructor', async () => {
    const inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
    const res = await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=2026-07-06&to=2026-07-07&duration_minutes=60`);
    expect(res.status).toBe(200);
    expect(res.body.days[0].ranges).toEqual([{ start_time: '09:00', end_time: '12:00' }]);
    expect(res.body.days[0].start_times.at(-1)).toBe('11:00');
  });
});
