import type { Client } from './generated/client/index.js';
import { InstaInstruError } from './error.js';
import { parseRetryAfter } from './retry.js';

/** What every method group needs: the configured generated client, and fetch without retries for probes. */
export interface Context {
  client: Client;
  fetchOnce: typeof globalThis.fetch;
}

type Part<T> = [NonNullable<T>] extends [never] ? unknown : NonNullable<T>;

/** The path, query and body of a generated operation merged into one plain object. */
export type Params<D extends { path?: unknown; query?: unknown; body?: unknown }> = Part<D['path']> & Part<D['query']> & Part<D['body']>;

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response?: Response;
}

/** Awaits a generated call and returns its data, throwing InstaInstruError on any non-2xx answer. */
export async function unwrap<T>(pending: Promise<Outcome<T>>): Promise<Exclude<T, undefined>> {
  const { data, error, response } = await pending;
  // No response means fetch itself failed (network, abort): rethrow that error as is.
  if (!response) throw error;
  if (!response.ok) throw new InstaInstruError(response.status, error, secondsToRetry(response));
  if (response.status === 204) return undefined as Exclude<T, undefined>;
  return data as Exclude<T, undefined>;
}

function secondsToRetry(response: Response): number | undefined {
  const ms = parseRetryAfter(response.headers.get('retry-after'));
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}
