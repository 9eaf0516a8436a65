import { authMethods, bookingsMethods, createClientCore, instructorsMethods, InstaInstruError, type Booking, type InstructorDetail, type User } from '@instainstru/sdk';

export type { Booking, InstructorDetail, User };

/** The SDK as the widget uses it (only the groups it needs, so the rest stays out of the bundle): public reads anonymous (no preflight, cached), writes with the partner's key. */
export function widgetApi(baseUrl: string, publishableKey: string | undefined) {
  const core = createClientCore({ baseUrl, retries: 1, timeout: 20_000 });
  const instructors = instructorsMethods(core);
  const auth = authMethods(core);
  const bookings = bookingsMethods(core);
  const keyed = { headers: publishableKey ? { 'X-Publishable-Key': publishableKey } : ({} as Record<string, string>) };
  return {
    instructor: (id: string) => instructors.get({ instructor_id: id }),
    availability: (id: string, from: string, to: string, duration: number) => instructors.availability({ instructor_id: id, from, to, duration_minutes: duration }),
    login: (email: string, password: string) => auth.login({ email, password }, keyed),
    register: (email: string, password: string, full_name: string, timezone: string) => auth.register({ email, password, full_name, role: 'student', timezone }, keyed),
    book: (body: Parameters<typeof bookings.create>[0]) => bookings.create(body, keyed),
  };
}

export type WidgetApi = ReturnType<typeof widgetApi>;

/** The stable code of any failure (an SDK error, or a network failure outside it). */
export const codeOf = (e: unknown): string => (e instanceof InstaInstruError ? e.code : 'connection_error');
