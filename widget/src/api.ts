import { createLightClient } from '@instainstru/sdk/light';
import type { Booking, InstructorDetail, PaymentMethod, User } from '@instainstru/sdk';

export type { Booking, InstructorDetail, PaymentMethod, User };

/** The SDK as the widget uses it: public reads anonymous (no preflight, cached by the API), writes with the partner's key. */
export function widgetApi(baseUrl: string, publishableKey: string | undefined) {
  const client = createLightClient({ baseUrl, retries: 1, timeout: 20_000 });
  const keyed = { headers: publishableKey ? { 'X-Publishable-Key': publishableKey } : ({} as Record<string, string>) };
  return {
    instructor: (id: string) => client.instructors.get({ instructor_id: id }),
    availability: (id: string, from: string, to: string, duration: number) => client.instructors.availability({ instructor_id: id, from, to, duration_minutes: duration }),
    login: (email: string, password: string) => client.auth.login({ email, password }, keyed),
    register: (email: string, password: string, full_name: string, timezone: string) => client.auth.register({ email, password, full_name, role: 'student', timezone }, keyed),
    book: (body: Parameters<typeof client.bookings.create>[0]) => client.bookings.create(body, keyed),
    /** For the pay step's own chunk, which adds the card calls (lightPayments) to the same session. */
    client,
    keyed,
  };
}

export type WidgetApi = ReturnType<typeof widgetApi>;

/** The stable code of any failure: the SDK's errors carry one; anything else is a failed connection. */
export const codeOf = (e: unknown): string => (typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : 'connection_error');
