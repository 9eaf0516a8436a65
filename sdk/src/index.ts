// @instainstru/sdk: a small, friendly client over the code generated from openapi.yaml.
export { createClient, type ClientOptions, type InstaInstruClient } from './client.js';
export { InstaInstruError } from './error.js';
export { paginate, type Page } from './paginate.js';
export { parseRetryAfter } from './retry.js';
export type * from './generated/types.gen.js';
