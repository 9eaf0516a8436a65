import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import { decodeCursor, pageOf } from '../platform/pagination.js';
import { API_KEY_PREFIX, randomSecret, sha256 } from '../platform/tokens.js';
import type { AccountRepository, ApiKeyRow } from './repository.js';

/** How much of a key is kept in clear so its owner can recognise it. */
const SHOWN_CHARS = 4;

function view(k: ApiKeyRow) {
  return { id: k.id, name: k.name, type: k.type, prefix: k.prefix, allowed_origins: k.allowed_origins, last_used_at: k.last_used_at, created_at: k.created_at };
}

/** Normalizes an origin to scheme://host[:port]; throws for anything else. */
function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    url = new URL('invalid:');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.origin !== origin.replace(/\/$/, '').toLowerCase()) {
    throw new AppError('validation_error', `"${origin}" is not an origin. Use the form https://example.com (no path).`, {
      errors: [{ path: '/body/allowed_origins', message: 'must be origins like https://example.com' }],
    });
  }
  return url.origin;
}

/** How long this instance trusts its list of partner origins (another instance's new key shows up within this). */
const ORIGINS_TTL_MS = 10_000;

/** API keys for scripts and publishable keys for partner sites: shown once, stored hashed. */
export function apiKeyService({ db, accounts, clock }: { db: Db; accounts: AccountRepository; clock: Clock }) {
  let origins: { at: number; set: Promise<Set<string>> } | undefined;
  const forgetOrigins = () => (origins = undefined);
  return {
    /** True when some active publishable key may be used from `origin` (answers the widget's CORS preflights). */
    async isPartnerOrigin(origin: string): Promise<boolean> {
      const now = Date.now();
      if (!origins || now - origins.at > ORIGINS_TTL_MS) {
        const set = accounts.publishableOrigins().then((list) => new Set(list));
        origins = { at: now, set };
        set.catch(forgetOrigins);
      }
      return (await origins.set).has(origin);
    },

    /** Creates a key and returns its secret, the only time it is shown. */
    async create(userId: string, input: { name: string; type?: 'secret' | 'publishable'; allowed_origins?: string[] }) {
      const type = input.type ?? 'secret';
      const origins = (input.allowed_origins ?? []).map(normalizeOrigin);
      if (type === 'publishable' && origins.length === 0) {
        throw new AppError('validation_error', 'A publishable key needs at least one allowed origin (the partner site).', {
          errors: [{ path: '/body/allowed_origins', message: 'required for publishable keys' }],
        });
      }
      const secret = `${API_KEY_PREFIX[type]}${randomSecret(32)}`;
      const row = await db.transaction((tx) =>
        accounts.createApiKey(
          { user_id: userId, name: input.name.trim(), type, prefix: secret.slice(0, API_KEY_PREFIX[type].length + SHOWN_CHARS), key_hash: sha256(secret), allowed_origins: [...new Set(origins)] },
          tx,
        ),
      );
      if (type === 'publishable') forgetOrigins();
      return { ...view(row), secret };
    },

    /** The user's active keys, newest first. */
    async list(userId: string, limit: number, cursor?: string) {
      const after = decodeCursor<{ created_at: string; id: string }>(cursor, ['created_at', 'id']);
      const rows = await accounts.listApiKeys(userId, after, limit);
      return pageOf(rows, limit, view, (k) => ({ created_at: k.created_at, id: k.id }));
    },

    /** Revokes one of the user's keys; another user's key does not exist. */
    async revoke(userId: string, keyId: string) {
      const done = await db.transaction((tx) => accounts.revokeApiKey(userId, keyId, clock.now(), tx));
      if (!done) throw new AppError('not_found', 'No such API key. List your keys with GET /v1/me/api-keys.');
      forgetOrigins();
    },

    /** Finds the key for a presented credential and records its use at most once a minute. */
    async resolve(credential: string): Promise<ApiKeyRow | null> {
      const key = await accounts.findApiKeyByHash(sha256(credential));
      if (!key) return null;
      const now = clock.now();
      if (!key.last_used_at || now.getTime() - Date.parse(key.last_used_at) > 60_000) {
        // Not awaited: recording use must never slow down or fail the request.
        db.transaction((tx) => accounts.touchApiKey(key.id, now, tx)).catch(() => undefined);
      }
      return key;
    },
  };
}

export type ApiKeyService = ReturnType<typeof apiKeyService>;
