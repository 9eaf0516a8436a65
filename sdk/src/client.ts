import { createClient as createGeneratedClient, createConfig } from './generated/client/index.js';
import type { Context } from './call.js';
import { asFetch, withRetries } from './retry.js';
import { authMethods, meMethods, profileMethods } from './groups/account.js';
import { apiKeysMethods, availabilityMethods, blackoutsMethods, servicesMethods } from './groups/teaching.js';
import { bookingsMethods, healthMethods, instructorsMethods } from './groups/lessons.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The API's origin, e.g. `https://api.instainstru.dev` or `http://127.0.0.1:8000`. */
  baseUrl: string;
  /** An access token from `auth.login`/`auth.register` (or later via `setToken`). */
  token?: string;
  /** A secret API key `ii_live_…` for scripts. */
  apiKey?: string;
  /** A publishable key `pk_live_…` for public reads from an allowed origin. */
  publishableKey?: string;
  /** Extra headers on every request (in Node, e.g. `origin` for a publishable key). */
  headers?: Record<string, string>;
  /** A fetch implementation; defaults to the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Automatic retries of 429/503 answers; default 2, `0` turns them off. */
  retries?: number;
  /** The longest wait for one retry, in seconds (default 10); longer `Retry-After` answers are thrown at once. */
  maxRetryWaitSeconds?: number;
}

/** Creates a typed InstaInstru client whose methods return data and throw InstaInstruError on non-2xx answers. */
export function createClient(options: ClientOptions) {
  let credential = options.token ?? options.apiKey ?? options.publishableKey;
  // Resolved per call so the global fetch is never invoked with a foreign `this` (browsers refuse that).
  const fetchOnce = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const client = createGeneratedClient(
    createConfig({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: options.headers,
      // The generated code only asks for credentials on operations declaring `security`, so login and health stay anonymous.
      auth: () => credential,
      fetch: asFetch(withRetries(fetchOnce, { retries: options.retries ?? 2, maxWaitMs: (options.maxRetryWaitSeconds ?? 10) * 1000 })),
    }),
  );
  const context: Context = { client, fetchOnce: asFetch(fetchOnce) };
  return {
    auth: authMethods(context),
    me: meMethods(context),
    profile: profileMethods(context),
    services: servicesMethods(context),
    availability: availabilityMethods(context),
    blackouts: blackoutsMethods(context),
    apiKeys: apiKeysMethods(context),
    instructors: instructorsMethods(context),
    bookings: bookingsMethods(context),
    health: healthMethods(context),
    /** Acts as another user from now on (e.g. with `access_token` after login); `undefined` signs out. */
    setToken(token: string | undefined) {
      credential = token ?? options.apiKey ?? options.publishableKey;
    },
  };
}

/** A client returned by {@link createClient}. */
export type InstaInstruClient = ReturnType<typeof createClient>;
