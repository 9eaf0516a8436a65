import { randomBytes } from 'node:crypto';
import { createClient, type InstaInstruClient } from '../src/index.js';

let counter = 0;

/** Registers a user through the SDK and returns a client signed in as them. */
export async function signUp(baseUrl: string, role: 'student' | 'instructor', timezone = 'Europe/Berlin') {
  counter++;
  const anonymous = createClient({ baseUrl });
  const email = `sdk-${role}${counter}-${randomBytes(3).toString('hex')}@example.com`;
  const result = await anonymous.auth.register({ email, password: 'a-long-password-1', full_name: `SDK ${role} ${counter}`, role, timezone });
  const client = createClient({ baseUrl, token: result.access_token });
  // Lessons are paid: every user gets the offline processor's succeeding test card.
  await client.paymentMethods.add({ payment_method: 'pm_card_visa' });
  return { client, user: result.user, email };
}

/** Signs up an instructor with a published profile and one Piano service. */
export async function publishedInstructor(baseUrl: string, opts: { buffer_minutes?: number } = {}): Promise<{ client: InstaInstruClient; id: string; email: string; serviceId: string }> {
  const { client, user, email } = await signUp(baseUrl, 'instructor');
  await client.profile.update({ published: true, timezone: 'Europe/Berlin', buffer_minutes: opts.buffer_minutes ?? 0, min_advance_hours: 2, service_areas: ['Berlin'], bio: 'Teaches well' });
  const service = await client.services.create({ skill: 'Piano', hourly_rate: 6000, currency: 'EUR', durations: [30, 60, 90], location_types: ['in_person', 'online'] });
  return { client, id: user.id, email, serviceId: service.id };
}

/** Runs a promise expected to fail and returns what it threw. */
export async function failure(pending: Promise<unknown>): Promise<any> {
  try {
    await pending;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
