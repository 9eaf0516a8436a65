import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerUser, startTestApp, type TestApp } from './harness.js';

type Range = { start_time: string; end_time: string };
const r = (start_time: string, end_time: string): Range => ({ start_time, end_time });

describe('availability', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  const instructor = () => registerUser(app, 'instructor', { timezone: 'Europe/Berlin' });
  const saveDays = (token: string, days: { date: string; ranges: Range[] }[]) => call(app, 'PUT', '/v1/me/availability', { token, body: { days } });
  /** The ranges per date from..to, as GET shows them. */
  async function read(token: string, from: string, to: string): Promise<Record<string, Range[]>> {
    const res = await call(app, 'GET', `/v1/me/availability?from=${from}&to=${to}`, { token });
    expect(res.status).toBe(200);
    return Object.fromEntries(res.body.days.map((d: { date: string; ranges: Range[] }) => [d.date, d.ranges]));
  }

  describe('PUT days', () => {
    it('merges overlapping and touching ranges and reports the saved days', async () => {
      const inst = await instructor();
      const res = await saveDays(inst.token, [
        { date: '2026-07-07', ranges: [r('09:00', '10:00'), r('10:00', '11:00'), r('10:30', '12:00'), r('14:00', '15:00')] },
        { date: '2026-07-06', ranges: [r('13:00', '14:00'), r('08:00', '09:30')] },
      ]);
      expect(res.status).toBe(200);
      expect(res.body.bookings_outside).toEqual([]);
      expect(res.body.days).toEqual([
        { date: '2026-07-06', ranges: [r('08:00', '09:30'), r('13:00', '14:00')] },
        { date: '2026-07-07', ranges: [r('09:00', '12:00'), r('14:00', '15:00')] },
      ]);
      expect(await read(inst.token, '2026-07-06', '2026-07-07')).toEqual({
        '2026-07-06': [r('08:00', '09:30'), r('13:00', '14:00')],
        '2026-07-07': [r('09:00', '12:00'), r('14:00', '15:00')],
      });
    });

    it('replaces each given date, leaves other dates alone, and an empty list clears a date', async () => {
      const inst = await instructor();
      await saveDays(inst.token, [
        { date: '2026-07-06', ranges: [r('09:00', '12:00')] },
        { date: '2026-07-07', ranges: [r('09:00', '12:00')] },
        { date: '2026-07-08', ranges: [r('09:00', '12:00')] },
      ]);
      const res = await saveDays(inst.token, [
        { date: '2026-07-06', ranges: [r('15:00', '16:00')] },
        { date: '2026-07-07', ranges: [] },
      ]);
      expect(res.status).toBe(200);
      expect(await read(inst.token, '2026-07-06', '2026-07-08')).toEqual({
        '2026-07-06': [r('15:00', '16:00')],
        '2026-07-07': [],
        '2026-07-08': [r('09:00', '12:00')],
      });
    });

    it('accepts 24:00 as the end of the day', async () => {
      const inst = await instructor();
      const res = await saveDays(inst.token, [{ date: '2026-07-06', ranges: [r('22:00', '24:00')] }]);
      expect(res.status).toBe(200);
      expect(res.body.days[0].ranges).toEqual([r('22:00', '24:00')]);
    });

    it('rejects start >= end with 400 invalid_time_range and saves nothing', async () => {
      const inst = await instructor();
      for (const bad of [r('12:00', '09:00'), r('09:00', '09:00')]) {
        const res = await saveDays(inst.token, [
          { date: '2026-07-06', ranges: [r('08:00', '09:00')] },
          { date: '2026-07-07', ranges: [bad] },
        ]);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('invalid_time_range');
        expect(res.body.errors[0].path).toBe('/body/days/1/ranges/0');
      }
      expect(await read(inst.token, '2026-07-06', '2026-07-07')).toEqual({ '2026-07-06': [], '2026-07-07': [] });
    });

    it('rejects an impossible date (2026-02-30) with 400 invalid_date', async () => {
      const inst = await instructor();
      const res = await saveDays(inst.token, [{ date: '2026-02-30', ranges: [r('09:00', '10:00')] }]);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_date');
      expect(res.body.errors[0].path).toBe('/body/days/0/date');
    });

    it.each(['25:00', '9:00', '09:60', '24:00'])('rejects start_time %s with 400 validation_error', async (start) => {
      const inst = await instructor();
      const res = await saveDays(inst.token, [{ date: '2026-07-06', ranges: [r(start, '24:00')] }]);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(res.body.errors[0].path).toBe('/body/days/0/ranges/0/start_time');
    });

    it('rejects 25:00 as an end time and a duplicate date', async () => {
      const inst = await instructor();
      const end = await saveDays(inst.token, [{ date: '2026-07-06', ranges: [r('09:00', '25:00')] }]);
      expect(end.status).toBe(400);
      expect(end.body.code).toBe('validation_error');
      const dup = await saveDays(inst.token, [
        { date: '2026-07-06', ranges: [r('09:00', '10:00')] },
        { date: '2026-07-06', ranges: [r('11:00', '12:00')] },
      ]);
      expect(dup.status).toBe(400);
      expect(dup.body.code).toBe('validation_error');
      expect(dup.body.errors[0].path).toBe('/body/days/1/date');
    });

    it('needs at least one day', async () => {
      const inst = await instructor();
      const res = await saveDays(inst.token, []);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
    });
  });

  describe('concurrency', () => {
    it('concurrent saves of one date leave exactly one of them, never a mix', async () => {
      const inst = await instructor();
      const hours = ['08', '10', '12', '14', '16', '18'];
      const results = await Promise.all(
        hours.map((h) => call(app, 'PUT', '/v1/me/availability/2026-07-06', { token: inst.token, body: { ranges: [r(`${h}:00`, `${h}:30`)] } })),
      );
      expect(results.map((x) => x.status)).toEqual(hours.map(() => 200));
      const saved = (await read(inst.token, '2026-07-06', '2026-07-06'))['2026-07-06'];
      expect(saved).toHaveLength(1);
      expect(hours.map((h) => `${h}:00`)).toContain(saved?.[0]?.start_time);
    });
  });

  describe('one date', () => {
    it('PUT replaces the date, DELETE clears it', async () => {
      const inst = await instructor();
      await saveDays(inst.token, [{ date: '2026-07-06', ranges: [r('09:00', '12:00')] }]);
      const put = await call(app, 'PUT', '/v1/me/availability/2026-07-06', { token: inst.token, body: { ranges: [r('14:00', '15:00'), r('13:00', '14:00')] } });
      expect(put.status).toBe(200);
      expect(put.body.days).toEqual([{ date: '2026-07-06', ranges: [r('13:00', '15:00')] }]);
      expect(await read(inst.token, '2026-07-06', '2026-07-06')).toEqual({ '2026-07-06': [r('13:00', '15:00')] });
      const del = await call(app, 'DELETE', '/v1/me/availability/2026-07-06', { token: inst.token });
      expect(del.status).toBe(200);
      expect(del.body.days).toEqual([{ date: '2026-07-06', ranges: [] }]);
      expect(await read(inst.token, '2026-07-06', '2026-07-06')).toEqual({ '2026-07-06': [] });
    });

    it('validates the path date and the ranges', async () => {
      const inst = await instructor();
      const date = await call(app, 'PUT', '/v1/me/availability/2026-13-01', { token: inst.token, body: { ranges: [] } });
      expect(date.status).toBe(400);
      expect(date.body.code).toBe('invalid_date');
      const shape = await call(app, 'PUT', '/v1/me/availability/July-6', { token: inst.token, body: { ranges: [] } });
      expect(shape.status).toBe(400);
      expect(shape.body.code).toBe('validation_error');
      const range = await call(app, 'PUT', '/v1/me/availability/2026-07-06', { token: inst.token, body: { ranges: [r('10:00', '09:00')] } });
      expect(range.status).toBe(400);
      expect(range.body.code).toBe('invalid_time_range');
    });
  });

  describe('GET', () => {
    it('returns every date of the range, with the timezone', async () => {
      const inst = await instructor();
      await saveDays(inst.token, [{ date: '2026-07-08', ranges: [r('09:00', '10:00')] }]);
      const res = await call(app, 'GET', '/v1/me/availability?from=2026-07-06&to=2026-07-12', { token: inst.token });
      expect(res.status).toBe(200);
      expect(res.body.timezone).toBe('Europe/Berlin');
      expect(res.body.days.map((d: { date: string }) => d.date)).toEqual(['2026-07-06', '2026-07-07', '2026-07-08', '2026-07-09', '2026-07-10', '2026-07-11', '2026-07-12']);
      expect(res.body.days[2].ranges).toEqual([r('09:00', '10:00')]);
      expect(res.body.days[0].ranges).toEqual([]);
    });

    it('allows 366 days and rejects more with 400 range_too_long', async () => {
      const inst = await instructor();
      const ok = await call(app, 'GET', '/v1/me/availability?from=2026-01-01&to=2027-01-01', { token: inst.token });
      expect(ok.status).toBe(200);
      expect(ok.body.days).toHaveLength(366);
      const res = await call(app, 'GET', '/v1/me/availability?from=2026-01-01&to=2027-01-02', { token: inst.token });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('range_too_long');
    });

    it('rejects to before from with 400 invalid_date', async () => {
      const inst = await instructor();
      const res = await call(app, 'GET', '/v1/me/availability?from=2026-07-10&to=2026-07-01', { token: inst.token });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_date');
      expect(res.body.errors[0].path).toBe('/query/to');
    });

    it('needs from and to', async () => {
      const inst = await instructor();
      const res = await call(app, 'GET', '/v1/me/availability?from=2026-07-10', { token: inst.token });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_error');
    });
  });

  describe('copy week', () => {
    it('copies the 7 days, clearing target days that are empty in the source', async () => {
      const inst = await instructor();
      // Source week Mon 2026-07-06 .. Sun 2026-07-12; target week Mon 2026-07-13.
      await saveDays(inst.token, [
        { date: '2026-07-06', ranges: [r('09:00', '12:00')] },
        { date: '2026-07-08', ranges: [r('14:00', '16:00')] },
        { date: '2026-07-12', ranges: [r('10:00', '11:00')] },
        { date: '2026-07-14', ranges: [r('08:00', '20:00')] },
        { date: '2026-07-20', ranges: [r('08:00', '09:00')] },
      ]);
      const res = await call(app, 'POST', '/v1/me/availability/copy-week', { token: inst.token, body: { source_week_start: '2026-07-06', target_week_start: '2026-07-13' } });
      expect(res.status).toBe(200);
      expect(res.body.days).toHaveLength(7);
      expect(await read(inst.token, '2026-07-13', '2026-07-20')).toEqual({
        '2026-07-13': [r('09:00', '12:00')],
        '2026-07-14': [],
        '2026-07-15': [r('14:00', '16:00')],
        '2026-07-16': [],
        '2026-07-17': [],
        '2026-07-18': [],
        '2026-07-19': [r('10:00', '11:00')],
        '2026-07-20': [r('08:00', '09:00')],
      });
      // The source is unchanged.
      expect((await read(inst.token, '2026-07-06', '2026-07-06'))['2026-07-06']).toEqual([r('09:00', '12:00')]);
    });

    it('requires Mondays: 400 invalid_date', async () => {
      const inst = await instructor();
      const source = await call(app, 'POST', '/v1/me/availability/copy-week', { token: inst.token, body: { source_week_start: '2026-07-07', target_week_start: '2026-07-13' } });
      expect(source.status).toBe(400);
      expect(source.body.code).toBe('invalid_date');
      expect(source.body.errors[0].path).toBe('/body/source_week_start');
      const target = await call(app, 'POST', '/v1/me/availability/copy-week', { token: inst.token, body: { source_week_start: '2026-07-06', target_week_start: '2026-07-19' } });
      expect(target.status).toBe(400);
      expect(target.body.code).toBe('invalid_date');
      expect(target.body.errors[0].path).toBe('/body/target_week_start');
    });
  });

  describe('apply pattern', () => {
    it('repeats the source week by weekday over 3 weeks', async () => {
      const inst = await instructor();
      await saveDays(inst.token, [
        { date: '2026-07-06', ranges: [r('09:00', '10:00')] }, // Monday
        { date: '2026-07-09', ranges: [r('15:00', '17:00')] }, // Thursday
        { date: '2026-07-22', ranges: [r('06:00', '07:00')] }, // a Wednesday in the target span, to be cleared
      ]);
      const res = await call(app, 'POST', '/v1/me/availability/apply-pattern', {
        token: inst.token,
        body: { source_week_start: '2026-07-06', start_date: '2026-07-13', end_date: '2026-08-02' },
      });
      expect(res.status).toBe(200);
      expect(res.body.days).toHaveLength(21);
      const days = await read(inst.token, '2026-07-13', '2026-08-03');
      const withRanges = Object.entries(days).filter(([, ranges]) => ranges.length > 0);
      expect(withRanges).toEqual([
        ['2026-07-13', [r('09:00', '10:00')]],
        ['2026-07-16', [r('15:00', '17:00')]],
        ['2026-07-20', [r('09:00', '10:00')]],
        ['2026-07-23', [r('15:00', '17:00')]],
        ['2026-07-27', [r('09:00', '10:00')]],
        ['2026-07-30', [r('15:00', '17:00')]],
      ]);
    });

    it('may start mid-week', async () => {
      const inst = await instructor();
      await saveDays(inst.token, [{ date: '2026-07-10', ranges: [r('09:00', '10:00')] }]); // Friday
      const res = await call(app, 'POST', '/v1/me/availability/apply-pattern', {
        token: inst.token,
        body: { source_week_start: '2026-07-06', start_date: '2026-07-16', end_date: '2026-07-18' },
      });
      expect(res.status).toBe(200);
      expect(await read(inst.token, '2026-07-16', '2026-07-18')).toEqual({ '2026-07-16': [], '2026-07-17': [r('09:00', '10:00')], '2026-07-18': [] });
    });

    it('covers at most a year: 400 range_too_long', async () => {
      const inst = await instructor();
      const res = await call(app, 'POST', '/v1/me/availability/apply-pattern', {
        token: inst.token,
        body: { source_week_start: '2026-07-06', start_date: '2026-07-13', end_date: '2027-07-14' },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('range_too_long');
    });

    it('rejects a source that is not a Monday and an end before the start', async () => {
      const inst = await instructor();
      const monday = await call(app, 'POST', '/v1/me/availability/apply-pattern', {
        token: inst.token,
        body: { source_week_start: '2026-07-08', start_date: '2026-07-13', end_date: '2026-07-20' },
      });
      expect(monday.status).toBe(400);
      expect(monday.body.code).toBe('invalid_date');
      const reversed = await call(app, 'POST', '/v1/me/availability/apply-pattern', {
        token: inst.token,
        body: { source_week_start: '2026-07-06', start_date: '2026-07-20', end_date: '2026-07-13' },
      });
      expect(reversed.status).toBe(400);
      expect(reversed.body.code).toBe('invalid_date');
      expect(reversed.body.errors[0].path).toBe('/body/end_date');
    });
  });

  it('is for instructors only: a student gets 403 forbidden', async () => {
    const student = await registerUser(app, 'student');
    const get = await call(app, 'GET', '/v1/me/availability?from=2026-07-06&to=2026-07-07', { token: student.token });
    expect(get.status).toBe(403);
    expect(get.body.code).toBe('forbidden');
    const put = await saveDays(student.token, [{ date: '2026-07-06', ranges: [r('09:00', '10:00')] }]);
    expect(put.status).toBe(403);
    expect(put.body.code).toBe('forbidden');
    const copy = await call(app, 'POST', '/v1/me/availability/copy-week', { token: student.token, body: { source_week_start: '2026-07-06', target_week_start: '2026-07-13' } });
    expect(copy.status).toBe(403);
    const anon = await call(app, 'GET', '/v1/me/availability?from=2026-07-06&to=2026-07-07');
    expect(anon.status).toBe(401);
  });
});
