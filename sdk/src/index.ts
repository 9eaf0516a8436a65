// @instainstru/sdk: a small, friendly client over the code generated from openapi.yaml.
export { createClient, createClientCore, DEFAULT_TIMEOUT_MS, type ClientCore, type ClientOptions, type InstaInstruClient } from './client.js';
// Method groups, for a client built from createClientCore with only the groups it needs.
export { authMethods, meMethods, profileMethods } from './groups/account.js';
export { apiKeysMethods, availabilityMethods, blackoutsMethods, servicesMethods } from './groups/teaching.js';
export { bookingsMethods, healthMethods, instructorsMethods } from './groups/lessons.js';
export type { CallOptions } from './call.js';
export { InstaInstruConnectionError, InstaInstruError, InstaInstruTimeoutError, type RequestInfo } from './error.js';
export { paginate, type Page } from './paginate.js';
export { parseRetryAfter } from './retry.js';
export type { SessionTokens } from './session.js';
export type { Hooks, RequestEvent, ResponseEvent } from './transport.js';
export type * from './generated/types.gen.js';
