/** One page of a cursor-paginated list. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/**
 * Iterates every item of a cursor-paginated list, fetching pages on demand.
 *
 * @example for await (const booking of paginate(client.bookings.list, { status: 'confirmed' })) { ... }
 */
export async function* paginate<P extends { cursor?: string }, T>(
  list: (params: P) => Promise<Page<T>>,
  params: Omit<P, 'cursor'> = {} as Omit<P, 'cursor'>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await list({ ...params, ...(cursor === undefined ? {} : { cursor }) } as P);
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
}
