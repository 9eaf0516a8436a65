import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../api/test/harness.js';
import { InstaInstruError } from '../src/index.js';
import { createLightClient, lightPayments } from '../src/light.js';
import { failure, publishedInstructor } from './helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('the light client', () => {
  it('reads publicly, signs up, books once per idempotency key, and reports problems as InstaInstruError', async () => {
    const teacher = await publishedInstructor(app.url);
    await teacher.client.availability.setDay({ date: '2026-07-08', ranges: [{ start_time: '09:00', end_time: '12:00' }] });
    const client = createLightClient({ baseUrl: `${app.url}/` });
    const detail = await client.instructors.get({ instructor_id: teacher.id });
    expect(detail.services.map((s) => s.id)).toEqual([teacher.serviceId]);
    const days = await client.instructors.availability({ instructor_id: teacher.id, from: '2026-07-08', to: '2026-07-08', duration_minutes: 60 });
    expect(days.days[0]!.start_times).toContain('11:00');

    // Booking before signing in: the API's problem, as an InstaInstruError.
    const lesson = { instructor_id: teacher.id, service_id: teacher.serviceId, date: '2026-07-08', start_time: '10:00', duration_minutes: 60, location_type: 'online' as const };
    const anonymous = await failure(client.bookings.create(lesson));
    expect(anonymous).toBeInstanceOf(InstaInstruError);
    expect(anonymous).toMatchObject({ status: 401, code: 'unauthenticated' });

    const signedUp = await client.auth.register({ email: 'light@example.com', password: 'a-long-password-1', full_name: 'Light Client', role: 'student' });
    expect(signedUp.user.email).toBe('light@example.com');
    // Lessons are paid: save the offline processor's test card through the payments group.
    const cards = lightPayments(client);
    const unpaid = await failure(client.bookings.create(lesson));
    expect(unpaid).toMatchObject({ status: 422, code: 'payment_method_required' });
    expect((await cards.setup()).processor).toBe('offline');
    const card = await cards.add({ payment_method: 'pm_card_visa' });
    expect((await cards.list()).data.map((c) => [c.id, c.last4, c.is_default])).toEqual([[card.id, '4242', true]]);
    const first = await client.bookings.create({ ...lesson, idempotency_key: 'light-1' });
    const again = await client.bookings.create({ ...lesson, idempotency_key: 'light-1' });
    expect(again.id).toBe(first.id);
    const taken = await failure(client.bookings.create({ ...lesson, start_time: '10:30' }));
    expect(taken).toMatchObject({ status: 409, code: 'instructor_conflict' });

    // Signing in again as someone else replaces the session.
    await client.auth.login({ email: teacher.email, password: 'a-long-password-1' });
    const self = await failure(client.bookings.create({ ...lesson, start_time: '11:00' }));
    expect(self).toMatchObject({ code: 'cannot_book_self' });
  });

  it('gives a connection error when the API cannot be reached', async () => {
    const error = await failure(createLightClient({ baseUrl: 'http://127.0.0.1:9', retries: 0 }).instructors.get({ instructor_id: '00000000-0000-4000-8000-000000000000' }));
    expect(error).toMatchObject({ status: 0, code: 'connection_error' });
  });
});
