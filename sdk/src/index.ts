// @instainstru/sdk: a small, friendly client over the code generated from openapi.yaml.
export { createClient, DEFAULT_TIMEOUT_MS, type ClientOptions, type InstaInstruClient } from './client.js';
export type { CallOptions } from './call.js';
export { InstaInstruConnectionError, InstaInstruError, InstaInstruTimeoutError, type RequestInfo } from './error.js';
export { paginate, type Page } from './paginate.js';
export { parseRetryAfter } from './retry.js';
export type { SessionTokens } from './session.js';
export type { Hooks, RequestEvent, ResponseEvent } from './transport.js';
export { verifyWebhook, WebhookVerificationError, type WebhookEvent, type WebhookHeaders } from './webhooks.js';
export type * from './generated/types.gen.js';
