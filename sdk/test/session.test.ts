import { describe, expect, it } from 'vitest';
import { createClient, type SessionTokens } from '../src/index.js';
import { failure } from './helpers.js';
import { problem, scriptedApi, type Answer, type Seen } from './scripted-api.js';

const user = { id: 'u1', email: 'sam@example.com', full_name: 'Sam', role: 'student', timezone: 'Europe/Berlin' };
const tokens = (n: number, expiresIn = 900) => ({ access_token: `access-${n}`, token_type: 'Bearer', expires_in: expiresIn, refresh_token: `refresh-${n}`, refresh_expires_in: 2_592_000, user });

/** A stand-in auth API: login gives access-1/refresh-1; each refresh rotates to the next pair; /v1/me accepts only the latest access token. */
async function authApi(options: { refreshDelayMs?: number; refuseRefresh?: boolean } = {}) {
  let generation = 1;
  const api = await scriptedApi((_, req: Seen): Answer => {
    if (req.url === '/v1/auth/login') return { status: 200, body: tokens(1) };
    if (req.url === '/v1/auth/refresh') {
      if (options.refuseRefresh || JSON.parse(req.body).refresh_token !== `refresh-${generation}`) return problem(401, 'invalid_refresh_token');
      generation++;
      return { status: 200, body: tokens(generation), ...(options.refreshDelayMs ? { delayMs: options.refreshDelayMs } : {}) };
    }
    if (req.url === '/v1/auth/logout') return { status: 204 };
    if (req.url === '/v1/me') return req.headers.authorization === `Bearer access-${generation}` ? { status: 200, body: user } : problem(401, 'token_expired');
    return problem(404, 'not_found');
  });
  return { ...api, calls: (url: string) => api.seen.filter((s) => s.url === url) };
}

describe('client.auth keeps a session', () => {
  it('adopts the tokens of login and hands them to onTokens', async () => {
    const api = await authApi();
    const seen: SessionTokens[] = [];
    const client = createClient({ baseUrl: api.url, onTokens: (t) => seen.push(t) });
    const before = Date.now();
    await client.auth.login({ email: 'sam@example.com', password: 'pw' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    expect(seen[0]!.accessTokenExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + 900_000);
    expect(await client.me.get()).toMatchObject({ id: 'u1' });
    expect(api.calls('/v1/me')[0]!.headers.authorization).toBe('Bearer access-1');
  });

  it('refreshes once on a 401 and repeats the call with the new access token', async () => {
    const api = await authApi();
    const seen: SessionTokens[] = [];
    const client = createClient({ baseUrl: api.url, token: 'access-0', refreshToken: 'refresh-1', onTokens: (t) => seen.push(t) });
    expect(await client.me.get()).toMatchObject({ id: 'u1' });
    expect(api.calls('/v1/auth/refresh').map((r) => JSON.parse(r.body))).toEqual([{ refresh_token: 'refresh-1' }]);
    expect(api.calls('/v1/me').map((r) => r.headers.authorization)).toEqual(['Bearer access-0', 'Bearer access-2']);
    expect(seen.map((t) => [t.accessToken, t.refreshToken])).toEqual([['access-2', 'refresh-2']]);
    expect(client.auth.session()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
  });

  it('shares one refresh between concurrent calls (the rotated refresh token is used once)', async () => {
    const api = await authApi({ refreshDelayMs: 100 });
    const client = createClient({ baseUrl: api.url, token: 'access-0', refreshToken: 'refresh-1' });
    const users = await Promise.all(Array.from({ length: 5 }, () => client.me.get()));
    expect(users.map((u) => u.id)).toEqual(['u1', 'u1', 'u1', 'u1', 'u1']);
    expect(api.calls('/v1/auth/refresh')).toHaveLength(1);
  });

  it('refreshes shortly before expiry without waiting for a 401', async () => {
    const api = await authApi();
    const client = createClient({ baseUrl: api.url, token: 'access-0', refreshToken: 'refresh-1', tokenExpiresAt: new Date(Date.now() + 5_000).toISOString() });
    await client.me.get();
    expect(api.calls('/v1/me').map((r) => r.headers.authorization)).toEqual(['Bearer access-2']);
  });

  it('gives the original 401 and ends the session when the refresh token is refused', async () => {
    const api = await authApi({ refuseRefresh: true });
    const client = createClient({ baseUrl: api.url, token: 'access-0', refreshToken: 'refresh-1' });
    const error = await failure(client.me.get());
    expect(error).toMatchObject({ status: 401, code: 'token_expired' });
    expect(client.auth.session()).toBeUndefined();
    expect(api.calls('/v1/auth/refresh')).toHaveLength(1);
  });

  it('never refreshes a client without a refresh token', async () => {
    const api = await authApi();
    const error = await failure(createClient({ baseUrl: api.url, token: 'access-0' }).me.get());
    expect(error).toMatchObject({ status: 401, code: 'token_expired' });
    expect(api.calls('/v1/auth/refresh')).toHaveLength(0);
  });

  it('refreshes on demand and logs out with the refresh token', async () => {
    const api = await authApi();
    const client = createClient({ baseUrl: api.url });
    await client.auth.login({ email: 'sam@example.com', password: 'pw' });
    expect(await client.auth.refresh()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    await client.auth.logout();
    expect(api.calls('/v1/auth/logout').map((r) => JSON.parse(r.body))).toEqual([{ refresh_token: 'refresh-2' }]);
    expect(client.auth.session()).toBeUndefined();
    await expect(client.auth.refresh()).rejects.toThrow(/needs a refresh token/);
  });
});
