import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { AppError } from './errors.js';

const ISSUER = 'instainstru';
const AUDIENCE = 'instainstru-api';
const ALGORITHM = 'HS256';
/** Access tokens live 15 minutes; a refresh token gets the next one. */
export const ACCESS_TOKEN_TTL_SECONDS = 900;

export type Role = 'student' | 'instructor' | 'admin';

/**
 * Signs and verifies access tokens with a pinned algorithm, issuer and audience. A token names
 * its user and the user's token version at issue time; the role is not in it, since it is read
 * from the database (cached) on every request.
 */
export function createTokenService(secret: string) {
  const key = new TextEncoder().encode(secret);
  return {
    /** Issues an access token for a user at their current token version. */
    async issue(userId: string, tokenVersion: number): Promise<string> {
      return new SignJWT({ ver: tokenVersion })
        .setProtectedHeader({ alg: ALGORITHM })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
        .sign(key);
    },
    /** Verifies an access token; throws a 401 AppError when it is not valid. Tokens without `exp` are refused. */
    async verify(token: string): Promise<{ userId: string; tokenVersion: number }> {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ['exp', 'iat', 'sub'],
          maxTokenAge: `${ACCESS_TOKEN_TTL_SECONDS}s`,
        });
        if (typeof payload.sub !== 'string' || !Number.isSafeInteger(payload.ver)) throw new Error('bad claims');
        return { userId: payload.sub, tokenVersion: payload.ver as number };
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) {
          throw new AppError('token_expired', 'The access token has expired. Get a new one with POST /v1/auth/refresh, or log in again.');
        }
        throw new AppError('unauthenticated', 'The access token is not valid. Log in again to get a new one.');
      }
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

/**
 * Register, login, refresh, logout and password reset take their credential in the body (or
 * none): an Authorization header a client sends along (often an expired access token, which is
 * why it refreshes) is ignored there, and their traffic counts as anonymous.
 */
export function isSessionPath(path: string): boolean {
  return path.startsWith('/v1/auth/');
}

/** Prefixes that tell API keys apart from access tokens (and from each other). */
export const API_KEY_PREFIX = { secret: 'ii_live_', publishable: 'pk_live_' } as const;

/** The credential of an `Authorization: Bearer <credential>` header, or undefined. */
export function bearerOf(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
}

/** Tells the kind of API key from its prefix; null for anything else (an access token). */
export function keyKind(credential: string | undefined): 'secret' | 'publishable' | null {
  if (credential?.startsWith(API_KEY_PREFIX.secret)) return 'secret';
  if (credential?.startsWith(API_KEY_PREFIX.publishable)) return 'publishable';
  return null;
}

/** A random URL-safe secret of `bytes` bytes (>= 16 bytes = 128 bits). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a high-entropy secret; fine for secrets (not passwords), lets us look them up. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
