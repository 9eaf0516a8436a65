import { describe, expect, it } from 'vitest';
import { createClient, paginate } from '../src/index.js';
import { scriptedApi } from './scripted-api.js';

// Compile-time checks (run by `npm run typecheck`): each @ts-expect-error fails the build if the line compiles.
export function typeChecks(client: ReturnType<typeof createClient>) {
  // @ts-expect-error: not a booking status
  paginate(client.bookings.list, { status: 'bogus' });
  // @ts-expect-error: misspelt filter
  paginate(client.bookings.list, { rol: 'student' });
  // @ts-expect-error: the cursor is paginate's business
  paginate(client.bookings.list, { cursor: 'x' });
  paginate(client.bookings.list, { status: 'confirmed', role: 'student', limit: 5 });
  paginate(client.services.list);
}

describe('paginate', () => {
  it('walks every page with the given filters and passes call options on', async () => {
    const api = await scriptedApi((n) => ({ status: 200, body: n === 1 ? { data: [{ id: 'a' }], next_cursor: 'c2' } : { data: [{ id: 'b' }], next_cursor: null } }));
    const client = createClient({ baseUrl: api.url, token: 't' });
    const ids: string[] = [];
    for await (const b of paginate(client.bookings.list, { status: 'confirmed' }, { headers: { 'x-trace': 'p' } })) ids.push(b.id);
    expect(ids).toEqual(['a', 'b']);
    expect(api.seen.map((s) => s.url)).toEqual(['/v1/bookings?status=confirmed', '/v1/bookings?status=confirmed&cursor=c2']);
    expect(api.seen.every((s) => s.headers['x-trace'] === 'p')).toBe(true);
  });
});
