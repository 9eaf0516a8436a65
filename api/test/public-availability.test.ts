import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, publishedInstructor, startTestApp, type TestApp } from './harness.js';

const NOW = new Date('2026-07-01T08:00:00Z');
const range = (start_time: string, end_time: string) => ({ start_time, end_time });

describe('public availability', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: NOW });
  });
  beforeEach(() => app.clock.set(NOW));
  afterAll(async () => app.close());

  const get = (id: string, query: string) => call(app, 'GET', `/v1/instructors/${id}/availability?${query}`);

  it('returns every date with its ranges, and start_times only with duration_minutes', async () => {
    const inst = await publishedInstructor(app, { durations: [60, 120], days: [{ date: '2026-07-06', ranges: [range('09:00', '10:30'), range('14:00', '15:00')] }] });
    const plain = await get(inst.id, 'from=2026-07-05&to=2026-07-07');
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual({
      instructor_id: inst.id,
      timezone: 'Europe/Berlin',
      days: [
        { date: '2026-07-05', ranges: [] },
        { date: '2026-07-06', ranges: [range('09:00', '10:30'), range('14:00', '15:00')] },
        { date: '2026-07-07', ranges: [] },
      ],
    });
    const timed = await get(inst.id, 'from=2026-07-06&to=2026-07-06&duration_minutes=60');
    expect(timed.body.days[0].start_times).toEqual(['09:00', '09:15', '09:30', '14:00']);
    const long = await get(inst.id, 'from=2026-07-06&to=2026-07-06&duration_minutes=120');
    expect(long.body.days[0].start_times).toEqual([]);
  });

  it('subtracts now + the minimum notice (the clock moves)', async () => {
    const inst = await publishedInstructor(app, { min_advance_hours: 2, days: [{ date: '2026-07-06', ranges: [range('09:00', '12:00')] }] });
    app.clock.set(new Date('2026-07-06T07:00:00Z')); // 09:00 in Berlin; bookable from 11:00
    const res = await get(inst.id, 'from=2026-07-06&to=2026-07-06&duration_minutes=30');
    expect(res.body.days[0]).toEqual({ date: '2026-07-06', ranges: [range('11:00', '12:00')], start_times: ['11:00', '11:15', '11:30'] });

    app.clock.set(new Date('2026-07-06T07:10:00Z')); // bookable from 11:10: start times stay on the 15-minute grid
    const off = await get(inst.id, 'from=2026-07-06&to=2026-07-06&duration_minutes=30');
    expect(off.body.days[0].ranges).toHaveLength(1);
    expect(off.body.days[0].ranges[0].start_time >= '11:10' && off.body.days[0].ranges[0].start_time <= '11:15').toBe(true);
    expect(off.body.days[0].ranges[0].end_time).toBe('12:00');
    expect(off.body.days[0].start_times).toEqual(['11:15', '11:30']);

    app.clock.set(new Date('2026-07-06T10:00:00Z')); // 12:00 in Berlin: nothing left
    const late = await get(inst.id, 'from=2026-07-06&to=2026-07-06&duration_minutes=30');
    expect(late.body.days[0]).toEqual({ date: '2026-07-06', ranges: [], start_times: [] });
  });

  it('uses the instructor minimum notice of 24 hours across dates', async () => {
    const inst = await publishedInstructor(app, {
      min_advance_hours: 24,
      days: [
        { date: '2026-07-01', ranges: [range('09:00', '18:00')] },
        { date: '2026-07-02', ranges: [range('09:00', '18:00')] },
      ],
    });
    // Now is 2026-07-01 10:00 in Berlin: bookable from 2026-07-02 10:00.
    const res = await get(inst.id, 'from=2026-07-01&to=2026-07-02');
    expect(res.body.days).toEqual([
      { date: '2026-07-01', ranges: [] },
      { date: '2026-07-02', ranges: [range('10:00', '18:00')] },
    ]);
  });

  it('subtracts blackouts', async () => {
    const inst = await publishedInstructor(app, {
      durations: [180],
      days: [
        { date: '2026-07-06', ranges: [range('09:00', '12:00')] },
        { date: '2026-07-07', ranges: [range('09:00', '12:00')] },
      ],
    });
    await call(app, 'POST', '/v1/me/blackouts', { token: inst.token, body: { date: '2026-07-06' } });
    const res = await get(inst.id, 'from=2026-07-06&to=2026-07-07&duration_minutes=180');
    expect(res.body.days).toEqual([
      { date: '2026-07-06', ranges: [], start_times: [] },
      { date: '2026-07-07', ranges: [range('09:00', '12:00')], start_times: ['09:00'] },
    ]);
  });

  it('reflects availability changes immediately', async () => {
    const inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [range('09:00', '12:00')] }] });
    expect((await get(inst.id, 'from=2026-07-06&to=2026-07-06')).body.days[0].ranges).toEqual([range('09:00', '12:00')]);
    await call(app, 'PUT', '/v1/me/availability/2026-07-06', { token: inst.token, body: { ranges: [range('13:00', '14:00')] } });
    expect((await get(inst.id, 'from=2026-07-06&to=2026-07-06')).body.days[0].ranges).toEqual([range('13:00', '14:00')]);
  });

  it('allows 90 days and rejects 91 with 400 range_too_long', async () => {
    const inst = await publishedInstructor(app);
    const ok = await get(inst.id, 'from=2026-07-01&to=2026-09-28');
    expect(ok.status).toBe(200);
    expect(ok.body.days).toHaveLength(90);
    const res = await get(inst.id, 'from=2026-07-01&to=2026-09-29');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('range_too_long');
  });

  it('rejects to before from (400 invalid_date), missing dates and bad durations', async () => {
    const inst = await publishedInstructor(app);
    const reversed = await get(inst.id, 'from=2026-07-10&to=2026-07-09');
    expect(reversed.status).toBe(400);
    expect(reversed.body.code).toBe('invalid_date');
    expect(reversed.body.errors[0].path).toBe('/query/to');
    const missing = await get(inst.id, 'from=2026-07-10');
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('validation_error');
    const impossible = await get(inst.id, 'from=2026-02-30&to=2026-03-01');
    expect(impossible.status).toBe(400);
    expect(impossible.body.code).toBe('invalid_date');
    for (const d of ['10', '481', 'sixty']) {
      const res = await get(inst.id, `from=2026-07-06&to=2026-07-06&duration_minutes=${d}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
    }
  });

  it('is 404 for an unpublished instructor', async () => {
    const inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [range('09:00', '12:00')] }] });
    await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { published: false } });
    const res = await get(inst.id, 'from=2026-07-06&to=2026-07-06');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  describe('DST', () => {
    it('Europe/Berlin spring forward (2026-03-29): 01:00-04:00 lists the real start times', async () => {
      app.clock.set(new Date('2026-03-01T00:00:00Z'));
      const inst = await publishedInstructor(app, { timezone: 'Europe/Berlin', days: [{ date: '2026-03-29', ranges: [range('01:00', '04:00')] }] });
      const res = await get(inst.id, 'from=2026-03-29&to=2026-03-29&duration_minutes=60');
      expect(res.status).toBe(200);
      expect(res.body.timezone).toBe('Europe/Berlin');
      expect(res.body.days).toEqual([{ date: '2026-03-29', ranges: [range('01:00', '04:00')], start_times: ['01:00', '01:15', '01:30', '01:45', '03:00'] }]);
    });

    it('America/New_York spring forward (2026-03-08): 01:00-04:00 lists the real start times', async () => {
      app.clock.set(new Date('2026-03-01T00:00:00Z'));
      const inst = await publishedInstructor(app, { timezone: 'America/New_York', days: [{ date: '2026-03-08', ranges: [range('01:00', '04:00')] }] });
      const res = await get(inst.id, 'from=2026-03-08&to=2026-03-08&duration_minutes=60');
      expect(res.status).toBe(200);
      expect(res.body.timezone).toBe('America/New_York');
      expect(res.body.days).toEqual([{ date: '2026-03-08', ranges: [range('01:00', '04:00')], start_times: ['01:00', '01:15', '01:30', '01:45', '03:00'] }]);
    });

    it('Europe/Berlin fall back (2026-10-25): 01:00-04:00 is four real hours', async () => {
      app.clock.set(new Date('2026-10-01T00:00:00Z'));
      const inst = await publishedInstructor(app, { timezone: 'Europe/Berlin', days: [{ date: '2026-10-25', ranges: [range('01:00', '04:00')] }] });
      const res = await get(inst.id, 'from=2026-10-25&to=2026-10-25&duration_minutes=60');
      expect(res.body.days[0].start_times).toEqual(['01:00', '01:15', '01:30', '01:45', '02:00', '02:15', '02:30', '02:45', '03:00']);
    });
  });
});
