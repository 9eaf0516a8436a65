import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, publishedInstructor, registerUser, startTestApp, type TestApp } from './harness.js';

/** What bookings do to the rest of the product, and what the rest of the product does (not) do to bookings. */

const NOW = new Date('2026-07-01T08:00:00Z');
const range = (start_time: string, end_time: string) => ({ start_time, end_time });
/** The 15-minute grid from..to inclusive, as HH:MM. */
const grid = (from: string, to: string) => {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const out: string[] = [];
  for (let m = minutes(from); m <= minutes(to); m += 15) out.push(`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
  return out;
};

type Inst = Awaited<ReturnType<typeof publishedInstructor>>;

describe('booking effects', () => {
  let app: TestApp;
  beforeAll(async () => {
    // A few students book many lessons with one instructor: raise the booking limit like the rate limits.
    app = await startTestApp({ now: NOW, env: { STUDENT_BOOKING_LIMIT: '1000' } });
  });
  afterAll(async () => app?.close());

  const book = (token: string, inst: Inst, date: string, start_time: string, duration_minutes = 60, serviceId = inst.serviceId) =>
    call(app, 'POST', '/v1/bookings', { token, body: { instructor_id: inst.id, service_id: serviceId, date, start_time, duration_minutes, location_type: 'online' } });
  const booked = async (token: string, inst: Inst, date: string, start_time: string, duration_minutes = 60) => {
    const res = await book(token, inst, date, start_time, duration_minutes);
    expect(res.status).toBe(201);
    return res.body as { id: string; start_at: string; end_at: string; price: { amount: number } };
  };
  const publicDay = async (inst: Inst, date: string, duration?: number) => {
    const res = await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=${date}&to=${date}${duration ? `&duration_minutes=${duration}` : ''}`);
    expect(res.status).toBe(200);
    return res.body.days[0] as { date: string; ranges: { start_time: string; end_time: string }[]; start_times?: string[] };
  };

  describe('availability changes never touch bookings, and report those left outside', () => {
    let inst: Inst;
    let booking: { id: string; start_at: string; end_at: string };
    beforeAll(async () => {
      inst = await publishedInstructor(app, { days: [{ date: '2026-07-06', ranges: [range('09:00', '17:00')] }] });
      const student = await registerUser(app, 'student');
      booking = await booked(student.token, inst, '2026-07-06', '10:00');
    });
    const unchanged = async () => {
      const res = await call(app, 'GET', `/v1/bookings/${booking.id}`, { token: inst.token });
      expect(res.body).toMatchObject({ status: 'confirmed', date: '2026-07-06', start_time: '10:00', end_time: '11:00', start_at: booking.start_at, end_at: booking.end_at });
    };
    const outside = { id: expect.any(String), status: 'confirmed', date: '2026-07-06', start_time: '10:00', end_time: '11:00', start_at: '2026-07-06T08:00:00.000Z', end_at: '2026-07-06T09:00:00.000Z' };

    it('PUT of a day that no longer covers the booking lists it in bookings_outside; the booking stays confirmed', async () => {
      const res = await call(app, 'PUT', '/v1/me/availability/2026-07-06', { token: inst.token, body: { ranges: [range('13:00', '17:00')] } });
      expect(res.status).toBe(200);
      expect(res.body.bookings_outside).toEqual([{ ...outside, id: booking.id }]);
      await unchanged();
    });

    it('clearing the day through PUT /v1/me/availability lists it too; covering it again lists nothing', async () => {
      const cleared = await call(app, 'PUT', '/v1/me/availability', { token: inst.token, body: { days: [{ date: '2026-07-06', ranges: [] }] } });
      expect(cleared.status).toBe(200);
      expect(cleared.body.bookings_outside.map((b: { id: string }) => b.id)).toEqual([booking.id]);
      await unchanged();
      const covered = await call(app, 'PUT', '/v1/me/availability', { token: inst.token, body: { days: [{ date: '2026-07-06', ranges: [range('09:00', '17:00')] }] } });
      expect(covered.status).toBe(200);
      expect(covered.body.bookings_outside).toEqual([]);
    });

    it('a blackout on the booking date lists it; the booking stays confirmed', async () => {
      const res = await call(app, 'POST', '/v1/me/blackouts', { token: inst.token, body: { date: '2026-07-06', reason: 'holiday' } });
      expect(res.status).toBe(201);
      expect(res.body.bookings_outside).toEqual([{ ...outside, id: booking.id }]);
      await unchanged();
      // The blacked-out date has no public time, yet the booking holds.
      expect((await publicDay(inst, '2026-07-06')).ranges).toEqual([]);
      expect((await call(app, 'DELETE', '/v1/me/blackouts/2026-07-06', { token: inst.token })).status).toBe(204);
      await unchanged();
    });
  });

  describe('public availability', () => {
    let inst: Inst;
    let student: Awaited<ReturnType<typeof registerUser>>;
    let booking: { id: string };
    beforeAll(async () => {
      inst = await publishedInstructor(app, { buffer_minutes: 15, days: [{ date: '2026-07-07', ranges: [range('09:00', '17:00')] }] });
      student = await registerUser(app, 'student');
    });

    it('subtracts an active booking widened by the buffer', async () => {
      // Read first, so a cached answer would have to be invalidated by the booking.
      expect((await publicDay(inst, '2026-07-07', 60)).ranges).toEqual([range('09:00', '17:00')]);
      booking = await booked(student.token, inst, '2026-07-07', '10:00');
      const day = await publicDay(inst, '2026-07-07', 60);
      // 10:00-11:00 plus 15 minutes either side is taken.
      expect(day.ranges).toEqual([range('09:00', '09:45'), range('11:15', '17:00')]);
      // A 60-minute lesson does not fit before it (09:00-10:00 would end inside the buffer).
      expect(day.start_times).toEqual(grid('11:15', '16:00'));
      expect((await publicDay(inst, '2026-07-07', 30)).start_times).toEqual([...grid('09:00', '09:15'), ...grid('11:15', '16:30')]);
    });

    it('agrees with the booking checks at the edges of the buffer', async () => {
      const other = await registerUser(app, 'student');
      const late = await book(other.token, inst, '2026-07-07', '09:30', 30);
      expect([late.status, late.body.code]).toEqual([409, 'instructor_conflict']);
      const after = await book(other.token, inst, '2026-07-07', '11:00', 30);
      expect([after.status, after.body.code]).toEqual([409, 'instructor_conflict']);
    });

    it('frees the time at once when the booking is cancelled', async () => {
      const res = await call(app, 'POST', `/v1/bookings/${booking.id}/cancel`, { token: student.token, body: {} });
      expect(res.status).toBe(200);
      const day = await publicDay(inst, '2026-07-07', 60);
      expect(day.ranges).toEqual([range('09:00', '17:00')]);
      expect(day.start_times).toEqual(grid('09:00', '16:00'));
    });

    it('search available_on leaves out an instructor whose only range that day is fully booked', async () => {
      const area = 'Effectsville';
      const full = await publishedInstructor(app, { areas: [area], days: [{ date: '2026-07-08', ranges: [range('10:00', '11:00')] }] });
      const free = await publishedInstructor(app, { areas: [area], days: [{ date: '2026-07-08', ranges: [range('10:00', '11:00')] }] });
      const found = async () => {
        const res = await call(app, 'GET', `/v1/instructors?area=${area}&available_on=2026-07-08`);
        expect(res.status).toBe(200);
        return (res.body.data as { id: string }[]).map((i) => i.id).sort();
      };
      expect(await found()).toEqual([full.id, free.id].sort());
      const b = await booked(student.token, full, '2026-07-08', '10:00');
      expect(await found()).toEqual([free.id]);
      // Without available_on the instructor is still found.
      const all = await call(app, 'GET', `/v1/instructors?area=${area}`);
      expect((all.body.data as { id: string }[]).map((i) => i.id).sort()).toEqual([full.id, free.id].sort());
      await call(app, 'POST', `/v1/bookings/${b.id}/cancel`, { token: student.token, body: {} });
      expect(await found()).toEqual([full.id, free.id].sort());
    });
  });

  describe('DELETE /v1/me/services/{id}', () => {
    it('deactivates a service a booking refers to (200, active: false) and deletes an unreferenced one (204)', async () => {
      const inst = await publishedInstructor(app, { days: [{ date: '2026-07-09', ranges: [range('09:00', '17:00')] }] });
      const student = await registerUser(app, 'student');
      const extra = await call(app, 'POST', '/v1/me/services', { token: inst.token, body: { skill: 'Guitar', hourly_rate: 5000, currency: 'EUR', durations: [60], location_types: ['online'] } });
      expect(extra.status).toBe(201);
      const unused = await call(app, 'POST', '/v1/me/services', { token: inst.token, body: { skill: 'Drums', hourly_rate: 5000, currency: 'EUR', durations: [60], location_types: ['online'] } });
      const b = await book(student.token, inst, '2026-07-09', '10:00', 60, extra.body.id);
      expect(b.status).toBe(201);
      // Even a cancelled booking keeps its service alive (as history).
      await call(app, 'POST', `/v1/bookings/${b.body.id}/cancel`, { token: student.token, body: {} });

      const referenced = await call(app, 'DELETE', `/v1/me/services/${extra.body.id}`, { token: inst.token });
      expect(referenced.status).toBe(200);
      expect(referenced.body).toMatchObject({ id: extra.body.id, skill: 'Guitar', active: false });
      const stillThere = await call(app, 'GET', `/v1/bookings/${b.body.id}`, { token: student.token });
      expect(stillThere.body).toMatchObject({ service_id: extra.body.id, skill: 'Guitar', status: 'cancelled' });
      const rebook = await book(student.token, inst, '2026-07-09', '12:00', 60, extra.body.id);
      expect([rebook.status, rebook.body.code]).toEqual([422, 'service_inactive']);

      const gone = await call(app, 'DELETE', `/v1/me/services/${unused.body.id}`, { token: inst.token });
      expect(gone.status).toBe(204);
      const services = await call(app, 'GET', '/v1/me/services', { token: inst.token });
      const ids = (services.body.data as { id: string }[]).map((s) => s.id);
      expect(ids).toContain(extra.body.id);
      expect(ids).not.toContain(unused.body.id);
    });
  });

  describe('GET /v1/bookings filters and pagination', () => {
    let inst: Inst;
    let student: Awaited<ReturnType<typeof registerUser>>;
    const ids: string[] = [];
    beforeAll(async () => {
      inst = await publishedInstructor(app, {
        timezone: 'Europe/Berlin',
        days: ['2026-07-13', '2026-07-14', '2026-07-15'].map((date) => ({ date, ranges: [range('00:00', '24:00')] })),
      });
      student = await registerUser(app, 'student');
      // In start order; the first is 00:30 in Berlin, which is still 12 July in UTC.
      for (const [date, time] of [
        ['2026-07-13', '00:30'],
        ['2026-07-13', '10:00'],
        ['2026-07-14', '10:00'],
        ['2026-07-14', '23:00'],
        ['2026-07-15', '10:00'],
      ] as const) {
        ids.push((await booked(student.token, inst, date, time)).id);
      }
      const cancelled = await call(app, 'POST', `/v1/bookings/${ids[2]}/cancel`, { token: inst.token, body: {} });
      expect(cancelled.status).toBe(200);
    });
    const list = async (token: string, query: string) => {
      const res = await call(app, 'GET', `/v1/bookings?${query}`, { token });
      expect(res.status).toBe(200);
      return res.body as { data: { id: string; date: string; status: string }[]; next_cursor: string | null };
    };

    it('pages with limit=2 over 5 bookings: 2, 2, 1, in start order, no duplicates', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof list>> = await list(student.token, `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        sizes.push(page.data.length);
        seen.push(...page.data.map((b) => b.id));
        cursor = page.next_cursor;
      } while (cursor && sizes.length < 10);
      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toEqual(ids);
    });

    it('filters by role', async () => {
      expect((await list(student.token, 'role=student')).data.map((b) => b.id)).toEqual(ids);
      expect((await list(student.token, 'role=instructor')).data).toEqual([]);
      expect((await list(inst.token, 'role=instructor')).data.map((b) => b.id)).toEqual(ids);
      expect((await list(inst.token, 'role=student')).data).toEqual([]);
    });

    it('filters by status', async () => {
      expect((await list(student.token, 'status=cancelled')).data.map((b) => b.id)).toEqual([ids[2]]);
      expect((await list(inst.token, 'status=confirmed')).data.map((b) => b.id)).toEqual([ids[0], ids[1], ids[3], ids[4]]);
      expect((await list(inst.token, 'status=completed')).data).toEqual([]);
    });

    it('filters from/to on the booking date, inclusive (the instructor-local date, not the UTC day)', async () => {
      expect((await list(student.token, 'from=2026-07-13&to=2026-07-13')).data.map((b) => b.id)).toEqual([ids[0], ids[1]]);
      expect((await list(student.token, 'from=2026-07-14')).data.map((b) => b.id)).toEqual([ids[2], ids[3], ids[4]]);
      expect((await list(student.token, 'to=2026-07-14')).data.map((b) => b.id)).toEqual([ids[0], ids[1], ids[2], ids[3]]);
      expect((await list(student.token, 'to=2026-07-12')).data).toEqual([]);
      expect((await list(inst.token, 'from=2026-07-14&to=2026-07-15&status=confirmed&limit=1')).data.map((b) => b.id)).toEqual([ids[3]]);
    });
  });

  describe('GET /v1/me/dashboard', () => {
    it('shows the instructor today, the next 7 days and the month; the student upcoming lessons and history', async () => {
      const dates = ['2026-07-02', '2026-07-03', '2026-07-06', '2026-07-08', '2026-07-13', '2026-07-14', '2026-08-03'];
      const inst = await publishedInstructor(app, { timezone: 'Europe/Berlin', days: dates.map((date) => ({ date, ranges: [range('08:00', '20:00')] })) });
      const student = await registerUser(app, 'student', { timezone: 'America/New_York' });
      const s = student.token;
      const done1 = await booked(s, inst, '2026-07-02', '10:00', 60); // 6000
      const done2 = await booked(s, inst, '2026-07-02', '12:00', 90); // 9000
      const noShow = await booked(s, inst, '2026-07-03', '10:00');
      const cancelled = await booked(s, inst, '2026-07-03', '12:00');
      const today1 = await booked(s, inst, '2026-07-06', '10:00');
      const today2 = await booked(s, inst, '2026-07-06', '14:00', 30);
      const todayCancelled = await booked(s, inst, '2026-07-06', '16:00');
      const week1 = await booked(s, inst, '2026-07-08', '10:00');
      const week2 = await booked(s, inst, '2026-07-13', '19:00');
      const later = await booked(s, inst, '2026-07-14', '10:00');
      const nextMonth = await booked(s, inst, '2026-08-03', '10:00');
      for (const b of [cancelled, todayCancelled]) expect((await call(app, 'POST', `/v1/bookings/${b.id}/cancel`, { token: s, body: {} })).status).toBe(200);

      await app.services.jobs.runDue();
      app.clock.set(new Date('2026-07-03T12:00:00Z'));
      try {
        for (const b of [done1, done2]) expect((await call(app, 'POST', `/v1/bookings/${b.id}/complete`, { token: inst.token })).status).toBe(200);
        expect((await call(app, 'POST', `/v1/bookings/${noShow.id}/no-show`, { token: inst.token })).status).toBe(200);

        // 08:00 in Berlin on Monday 6 July. The jobs those changes started finish first (at the
        // old time): no background run sees the new time, so no saved card is authorized meanwhile.
        await app.services.jobs.runDue();
        app.clock.set(new Date('2026-07-06T06:00:00Z'));
        const mine = await call(app, 'GET', '/v1/me/dashboard', { token: inst.token });
        expect(mine.status).toBe(200);
        expect(mine.body).toMatchObject({ role: 'instructor', timezone: 'Europe/Berlin' });
        expect(mine.body.today.map((b: { id: string }) => b.id)).toEqual([today1.id, today2.id]);
        // Tomorrow through 13 July; 14 July is the 8th day.
        expect(mine.body.next_7_days.map((b: { id: string }) => b.id)).toEqual([week1.id, week2.id]);
        // Earnings are the money captured: both lessons and the no-show (100 % by default); the two
        // cancellations were early (more than 24 hours before), so free.
        const captured = done1.price.amount + done2.price.amount + noShow.price.amount;
        expect(captured).toBe(21000);
        expect(mine.body.month).toEqual({
          counts: { pending: 0, confirmed: 5, completed: 2, cancelled: 2, no_show: 1 },
          earnings: { amount: captured, currency: 'EUR' },
          earnings_by_currency: [{ amount: captured, currency: 'EUR' }],
        });

        const theirs = await call(app, 'GET', '/v1/me/dashboard', { token: s });
        expect(theirs.status).toBe(200);
        expect(theirs.body).toMatchObject({ role: 'student', timezone: 'America/New_York', history: { completed: 2, cancelled: 2, no_show: 1 } });
        expect(theirs.body.upcoming.map((b: { id: string }) => b.id)).toEqual([today1.id, today2.id, week1.id, week2.id, later.id, nextMonth.id]);
        // Held now: the lessons within the hold window of the booking time (1 July + 6 days); later ones only saved the card.
        expect(theirs.body.holds).toEqual([{ amount: today1.price.amount + today2.price.amount, currency: 'EUR' }]);
      } finally {
        app.clock.set(NOW);
      }
    });
  });
});

describe('buffer changes', () => {
  let app: TestApp;
  beforeAll(async () => {
    // A few students book many lessons with one instructor: raise the booking limit like the rate limits.
    app = await startTestApp({ now: NOW, env: { STUDENT_BOOKING_LIMIT: '1000' } });
  });
  afterAll(async () => app?.close());

  it('an existing booking keeps the buffer it was made with; public start times match what booking accepts', async () => {
    const inst = await publishedInstructor(app, { buffer_minutes: 30, days: [{ date: '2026-07-06', ranges: [range('09:00', '13:00')] }] });
    const s = await registerUser(app, 'student');
    const first = await call(app, 'POST', '/v1/bookings', { token: s.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time: '09:00', duration_minutes: 60, location_type: 'online' } });
    expect(first.status).toBe(201);
    // The instructor lowers the buffer; the booking still holds 09:00-10:30 (its end plus the old 30 minutes).
    await call(app, 'PUT', '/v1/me/instructor-profile', { token: inst.token, body: { buffer_minutes: 0 } });
    const av = await call(app, 'GET', `/v1/instructors/${inst.id}/availability?from=2026-07-06&to=2026-07-06&duration_minutes=60`);
    expect(av.body.days[0].start_times[0]).toBe('10:30');
    const other = await registerUser(app, 'student');
    const at = (start_time: string) => call(app, 'POST', '/v1/bookings', { token: other.token, body: { instructor_id: inst.id, service_id: inst.serviceId, date: '2026-07-06', start_time, duration_minutes: 60, location_type: 'online' } });
    expect((await at('10:15')).body.code).toBe('instructor_conflict');
    expect((await at('10:30')).status).toBe(201);
  });
});
