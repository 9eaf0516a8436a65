import type { NextFunction, Request, Response } from 'express';
import { AppError } from './errors.js';
import { bearerOf, isSessionPath, keyKind, type Role, type TokenService } from './tokens.js';

/** Who is calling: a user (by access token or secret API key) or a partner site (publishable key). */
export type Principal =
  | { kind: 'user'; userId: string; role: Role; via: 'token' | 'api_key' }
  | { kind: 'publishable'; userId: string; keyId: string };

/** The partner site a request came through: a publishable key sent beside the user's own credential. */
export interface WidgetKey {
  keyId: string;
  ownerId: string;
}

/** The header the booking widget sends its publishable key in (the user's token stays in Authorization). */
export const PUBLISHABLE_KEY_HEADER = 'x-publishable-key';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Principal;
    widgetKey?: WidgetKey;
  }
}

interface KeyResolver {
  /** Finds an active API key (secret or publishable) by its full secret. */
  resolve(credential: string): Promise<{ id: string; user_id: string; type: 'secret' | 'publishable'; allowed_origins: string[] } | null>;
}
interface UserStateLookup {
  /** The user's current role and token version (from the database, cached), or null when the account is gone. */
  stateOf(userId: string): Promise<{ role: Role; tokenVersion: number } | null>;
}

/**
 * Reads the bearer credential, if any, and sets req.auth; a bad credential is a 401. The role and
 * the account's existence always come from the database (cached), never from the credential.
 */
export function authenticate(tokens: TokenService, keys: KeyResolver, users: UserStateLookup) {
  /** A publishable key is only good from its own allowed origins (browsers set Origin; pages cannot forge it). */
  function fromAllowedOrigin(key: { allowed_origins: string[] }, origin: string | undefined): void {
    if (!origin || !key.allowed_origins.includes(origin)) {
      throw new AppError('origin_not_allowed', 'This publishable key may only be used from its allowed origins.');
    }
  }
  async function publishable(credential: string, origin: string | undefined) {
    const key = keyKind(credential) === 'publishable' ? await keys.resolve(credential) : null;
    if (!key || key.type !== 'publishable') throw new AppError('unauthenticated', 'This publishable key is not valid or was revoked. Create a new one.');
    fromAllowedOrigin(key, origin);
    return key;
  }
  /**
   * The page's origin: browsers send Origin on cross-origin requests and on POSTs, but not on a
   * same-origin GET (the demo page at /demo loading the visitor's cards). There they send
   * `Sec-Fetch-Site: same-origin`, and the page's origin is this server's own.
   */
  function originOf(req: Request): string | undefined {
    if (req.headers.origin) return req.headers.origin;
    return req.headers['sec-fetch-site'] === 'same-origin' ? `${req.protocol}://${req.get('host')}` : undefined;
  }
  return async (req: Request, _res: Response, next: NextFunction) => {
    const widget = req.headers[PUBLISHABLE_KEY_HEADER];
    if (typeof widget === 'string') {
      const key = await publishable(widget.trim(), originOf(req));
      req.widgetKey = { keyId: key.id, ownerId: key.user_id };
    }
    const header = req.headers.authorization;
    if (!header || isSessionPath(req.path)) return next();
    const credential = bearerOf(header);
    if (!credential) {
      throw new AppError('unauthenticated', 'Send credentials as "Authorization: Bearer <token or key>".');
    }
    if (keyKind(credential)) {
      const key = await keys.resolve(credential);
      if (!key) throw new AppError('unauthenticated', 'This API key is not valid or was revoked. Create a new one.');
      if (key.type === 'publishable') {
        fromAllowedOrigin(key, originOf(req));
        req.auth = { kind: 'publishable', userId: key.user_id, keyId: key.id };
        return next();
      }
      const owner = await users.stateOf(key.user_id);
      if (!owner) throw new AppError('unauthenticated', 'The owner of this API key no longer exists.');
      req.auth = { kind: 'user', userId: key.user_id, role: owner.role, via: 'api_key' };
      return next();
    }
    const { userId, tokenVersion } = await tokens.verify(credential);
    const user = await users.stateOf(userId);
    if (!user) throw new AppError('unauthenticated', 'This account no longer exists.');
    if (user.tokenVersion !== tokenVersion) {
      throw new AppError('unauthenticated', 'This session has ended: the password was changed or reset since. Log in again.');
    }
    req.auth = { kind: 'user', userId, role: user.role, via: 'token' };
    next();
  };
}

/** The signed-in user; publishable keys may only read public endpoints. */
export function requireUser(req: Request): { userId: string; role: Role } {
  const auth = req.auth;
  if (!auth) throw new AppError('unauthenticated', 'Sign in first: send "Authorization: Bearer <access token or API key>".');
  if (auth.kind === 'publishable') {
    throw new AppError('forbidden', 'Publishable keys can only read public endpoints. Use an access token or a secret API key.');
  }
  return auth;
}

/** A user signed in with email and password (an access token): API keys may not manage keys or the password. */
export function requireSession(req: Request): { userId: string; role: Role } {
  const user = requireUser(req);
  if (req.auth?.kind === 'user' && req.auth.via !== 'token') {
    throw new AppError('forbidden', 'API keys cannot manage API keys or the password. Log in (POST /v1/auth/login) and use the access token.');
  }
  return user;
}

/** The signed-in user, who must have one of the roles. */
export function requireRole(req: Request, ...roles: Role[]): { userId: string; role: Role } {
  const user = requireUser(req);
  if (!roles.includes(user.role)) {
    throw new AppError('forbidden', `Only ${roles.join(' or ')} accounts can do this.`);
  }
  return user;
}
