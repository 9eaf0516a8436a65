import type { CallOptions } from './call.js';

/** One page of a cursor-paginated list. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * Iterates every item of a cursor-paginated list, fetching pages on demand. The filters are
 * checked against the list method's own parameters (a misspelt or invalid filter does not compile).
 *
 * @example for await (const booking of paginate(client.bookings.list, { status: 'confirmed' })) { ... }
 */
export async function* paginate<P extends { cursor?: string }, T>(
  list: (params?: P, options?: CallOptions) => Promise<Page<T>>,
  params: NoInfer<Omit<P, 'cursor'>> = {} as Omit<P, 'cursor'>,
  options?: CallOptions,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await list({ ...params, ...(cursor === undefined ? {} : { cursor }) } as P, options);
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}
