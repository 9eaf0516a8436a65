import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../api/test/harness.js';
import { createClient, InstaInstruError, paginate, type Booking } from '../src/index.js';
import { failure, publishedInstructor, signUp } from './helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

// The harness clock stands at Wednesday 2026-07-01T08:00Z; Berlin is UTC+2 in July.
describe('finding an instructor and booking lessons', () => {
  it('searches, reads an instructor, books, hits a conflict, paginates, cancels, reschedules and finishes lessons', async () => {
    const teacher = await publishedInstructor(app.url);
    await teacher.client.availability.saveDays({
      days: [
        { date: '2026-07-02', ranges: [{ start_time: '10:00', end_time: '14:00' }] },
        { date: '2026-07-03', ranges: [{ start_time: '09:00', end_time: '12:00' }] },
      ],
    });
    const visitor = createClient({ baseUrl: app.url });

    const found = await visitor.instructors.search({ skill: 'piano' });
    expect(found.data.map((i) => i.id)).toContain(teacher.id);
    // Reserved characters in free text are percent-encoded by the client and accepted by the API.
    expect((await visitor.instructors.search({ q: 'teaches well & more +/?#', skill: 'Piano' })).data).toEqual([]);
    expect((await visitor.instructors.search({ q: 'Teaches well' })).data.map((i) => i.id)).toContain(teacher.id);
    const detail = await visitor.instructors.get({ instructor_id: teacher.id });
    expect(detail.services.map((s) => s.id)).toEqual([teacher.serviceId]);

    const free = await visitor.instructors.availability({ instructor_id: teacher.id, from: '2026-07-02', to: '2026-07-03', duration_minutes: 60 });
    const first = free.days[0]!;
    expect(first.date).toBe('2026-07-02');
    expect(first.start_times?.[0]).toBe('10:00');

    const ada = await signUp(app.url, 'student');
    const lesson = { instructor_id: teacher.id, service_id: teacher.serviceId, duration_minutes: 60, location_type: 'online' as const };
    const booked = await ada.client.bookings.create({ ...lesson, date: '2026-07-02', start_time: first.start_times![0]! });
    expect(booked).toMatchObject({ status: 'confirmed', start_at: '2026-07-02T08:00:00.000Z', price: { amount: 6000, currency: 'EUR' } });

    const bob = await signUp(app.url, 'student');
    const conflict = await failure(bob.client.bookings.create({ ...lesson, date: '2026-07-02', start_time: '10:30' }));
    expect(conflict).toBeInstanceOf(InstaInstruError);
    expect(conflict).toMatchObject({ status: 409, code: 'instructor_conflict' });
    expect(conflict.conflict).toEqual({ start_at: expect.stringMatching(/^2026-07-02T08:00:00/), end_at: expect.stringMatching(/^2026-07-02T09:00:00/) });

    // The same Idempotency-Key and body replays the first answer instead of booking twice.
    const once = await ada.client.bookings.create({ ...lesson, date: '2026-07-02', start_time: '12:00', idempotency_key: 'ada-noon' });
    const replay = await ada.client.bookings.create({ ...lesson, date: '2026-07-02', start_time: '12:00', idempotency_key: 'ada-noon' });
    expect(replay.id).toBe(once.id);
    const third = await ada.client.bookings.create({ ...lesson, date: '2026-07-03', start_time: '09:00' });

    const seen: Booking[] = [];
    for await (const b of paginate(ada.client.bookings.list, { status: 'confirmed', limit: 1 })) seen.push(b);
    expect(seen.map((b) => b.id)).toEqual([booked.id, once.id, third.id]);
    expect((await ada.client.bookings.get({ booking_id: once.id })).id).toBe(once.id);

    const cancelled = await ada.client.bookings.cancel({ booking_id: once.id, reason: 'Feeling unwell.' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled_by: 'student', cancellation_reason: 'Feeling unwell.' });
    const again = await failure(ada.client.bookings.cancel({ booking_id: once.id }));
    expect(again).toMatchObject({ status: 409, code: 'invalid_transition' });

    const moved = await ada.client.bookings.reschedule({ booking_id: third.id, date: '2026-07-03', start_time: '10:00', duration_minutes: 90 });
    expect(moved).toMatchObject({ start_time: '10:00', end_time: '11:30', duration_minutes: 90, price: { amount: 9000 } });

    const studentTries = await failure(ada.client.bookings.complete({ booking_id: booked.id }));
    expect(studentTries).toMatchObject({ status: 403, code: 'forbidden' });

    // After both lessons have started, the instructor records how they went (a fresh token: time moved on).
    app.clock.set(new Date('2026-07-03T12:00:00Z'));
    const instructor = createClient({ baseUrl: app.url });
    instructor.setToken((await instructor.auth.login({ email: teacher.email, password: 'a-long-password-1' })).access_token);
    expect(await instructor.bookings.complete({ booking_id: booked.id })).toMatchObject({ status: 'completed' });
    expect(await instructor.bookings.noShow({ booking_id: third.id })).toMatchObject({ status: 'no_show' });
    expect((await instructor.me.dashboard()).role).toBe('instructor');
  });
});
