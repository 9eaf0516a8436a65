import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAdmin, startTestApp, type TestApp } from '../../api/test/harness.js';
import { createClient, InstaInstruError } from '../src/index.js';
import { failure, publishedInstructor, signUp } from './helpers.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

// The harness clock stands at Wednesday 2026-07-01T08:00Z (offline processor, Stripe's test card ids).
describe('client.paymentMethods and a booking\'s money, typed', () => {
  it('sets up, adds, lists, defaults and removes cards; a paid booking shows its hold; the test clock captures it', async () => {
    const teacher = await publishedInstructor(app.url);
    await teacher.client.availability.saveDays({ days: [{ date: '2026-07-03', ranges: [{ start_time: '09:00', end_time: '12:00' }] }] });
    const { client } = await signUp(app.url, 'student');

    const setup = await client.paymentMethods.setup();
    expect(setup).toEqual({ client_secret: expect.stringMatching(/^seti_/), processor: 'offline' });
    const [visa] = (await client.paymentMethods.list()).data;
    expect(visa).toEqual({ id: expect.stringMatching(/^pm_off_/), brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, is_default: true });
    const other = await client.paymentMethods.add({ payment_method: 'pm_card_authenticationRequired' });
    expect(other.is_default).toBe(false);
    const bad = await failure(client.paymentMethods.add({ payment_method: 'pm_card_nope' }));
    expect(bad).toBeInstanceOf(InstaInstruError);
    expect([bad.status, bad.code]).toEqual([422, 'invalid_payment_method']);

    const booking = await client.bookings.create({ instructor_id: teacher.id, service_id: teacher.serviceId, date: '2026-07-03', start_time: '10:00', duration_minutes: 60, location_type: 'online' });
    expect(booking.payment_status).toBe('authorized');
    expect(booking.payment).toMatchObject({ amount: 6000, currency: 'EUR', authorized_amount: 6000, captured_amount: 0 });

    // An admin moves the platform's clock past the lesson; the instructor completes it and the hold is captured.
    const admin = await registerAdmin(app);
    const clock = await createClient({ baseUrl: app.url, token: admin.token }).testClock.advance({ advance_seconds: 2 * 86_400 });
    expect(clock.now).toBe('2026-07-03T08:00:00.000Z');
    const done = await teacher.client.bookings.complete({ booking_id: booking.id });
    expect([done.status, done.payment_status, done.payment?.captured_amount]).toEqual(['completed', 'captured', 6000]);

    await client.paymentMethods.remove({ payment_method_id: visa!.id });
    const left = (await client.paymentMethods.list()).data;
    expect(left.map((c) => [c.id, c.is_default])).toEqual([[other.id, true]]);
    app.clock.set(new Date('2026-07-01T08:00:00Z'));
  });
});
