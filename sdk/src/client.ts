import type { Context } from './call.js';
import { caller, type TransportOptions } from './request.js';
import { Session, type SessionTokens } from './session.js';
import { DEFAULT_TIMEOUT_MS } from './defaults.js';

export { DEFAULT_TIMEOUT_MS };
import { authMethods, calendarFeedMethods, meMethods, notificationsMethods, profileMethods, refreshCall } from './groups/account.js';
import { apiKeysMethods, availabilityMethods, blackoutsMethods, servicesMethods } from './groups/teaching.js';
import { bookingsMethods, healthMethods, instructorsMethods } from './groups/lessons.js';
import { paymentActions, paymentMethodsMethods, testClockMethods } from './groups/payments.js';
import { webhooksMethods } from './groups/webhooks.js';

/** Options of {@link createClient}. */
export interface ClientOptions extends TransportOptions {
  /** An access token from `auth.login`/`auth.register` (or later via `setToken`). */
  token?: string | undefined;
  /** A refresh token from an earlier login: the client then renews `token` by itself. */
  refreshToken?: string | undefined;
  /** When `token` expires (a Date, an ISO string or epoch milliseconds), so it is renewed shortly before. */
  tokenExpiresAt?: Date | string | number | undefined;
  /** Called with the new tokens after login, register and every refresh (store them to resume the session later). */
  onTokens?: ((tokens: SessionTokens) => void) | undefined;
  /** A secret API key `ii_live_…` for scripts. */
  apiKey?: string | undefined;
  /** A publishable key `pk_live_…` for public reads from an allowed origin. */
  publishableKey?: string | undefined;
}


/** Creates a typed InstaInstru client whose methods return data and throw InstaInstruError on failure. */
export function createClient(options: ClientOptions) {
  const session = new Session(options.token === undefined ? undefined : { accessToken: options.token, refreshToken: options.refreshToken, accessTokenExpiresAt: toDate(options.tokenExpiresAt) }, options.onTokens);
  // Every operation sends the credential (the contract declares `security` on all but login, register,
  // refresh, logout, password reset and health, whose methods pass `auth: false`).
  const credential = () => session.accessToken ?? options.apiKey ?? options.publishableKey;
  const context: Context = { session, call: caller(options, session, credential, { auth: true }) };
  session.refresher = (refreshToken, signal) => refreshCall(context, refreshToken, signal ? { signal } : undefined);
  return {
    auth: authMethods(context),
    me: meMethods(context),
    notifications: notificationsMethods(context),
    calendarFeed: calendarFeedMethods(context),
    profile: profileMethods(context),
    services: servicesMethods(context),
    availability: availabilityMethods(context),
    blackouts: blackoutsMethods(context),
    apiKeys: apiKeysMethods(context),
    instructors: instructorsMethods(context),
    bookings: { ...bookingsMethods(context), ...paymentActions(context) },
    paymentMethods: paymentMethodsMethods(context),
    testClock: testClockMethods(context),
    webhooks: webhooksMethods(context),
    health: healthMethods(context),
    /** Acts with this access token from now on (no refresh); `undefined` signs out (back to the API key, if any). */
    setToken(token: string | undefined) {
      session.set(token === undefined ? undefined : { accessToken: token });
    },
  };
}

function toDate(value: Date | string | number | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A client returned by {@link createClient}. */
export type InstaInstruClient = ReturnType<typeof createClient>;
