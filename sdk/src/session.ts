import type { Fetch } from './transport.js';

/** The tokens of a signed-in session, handed to `onTokens` whenever they change. */
export interface SessionTokens {
  accessToken: string;
  /** Present when the API issued one (login, register, refresh). */
  refreshToken?: string | undefined;
  /** When the access token stops working. */
  accessTokenExpiresAt?: Date | undefined;
  /** When the refresh token stops working. */
  refreshTokenExpiresAt?: Date | undefined;
}

/** The fields of the API's login/register/refresh answer the session reads. */
export interface TokenAnswer {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_expires_in?: number;
}

/** Refresh this long before the access token expires, so a call never starts with a dying token. */
const EARLY_MS = 30_000;

/**
 * The client's credential. With a refresh token it renews the access token by itself: shortly
 * before expiry, and once on a 401; concurrent calls share one refresh (the API rotates refresh
 * tokens, so two refreshes with the same one would end the session).
 */
export class Session {
  private tokens: SessionTokens | undefined;
  private inflight: Promise<boolean> | undefined;
  /** Sends `POST /v1/auth/refresh`; set by the client once its transport exists. */
  refresher: ((refreshToken: string, signal?: AbortSignal) => Promise<TokenAnswer>) | undefined;

  constructor(
    initial: SessionTokens | undefined,
    private readonly onTokens?: (tokens: SessionTokens) => void,
  ) {
    this.tokens = initial;
  }

  get accessToken(): string | undefined {
    return this.tokens?.accessToken;
  }

  current(): SessionTokens | undefined {
    return this.tokens && { ...this.tokens };
  }

  /** Replaces the tokens; `undefined` signs out. Does not call `onTokens` (the caller chose them). */
  set(tokens: SessionTokens | undefined): void {
    this.tokens = tokens;
  }

  /** Adopts an answer of login, register or refresh, and tells `onTokens`. */
  adopt(answer: TokenAnswer, now = Date.now()): SessionTokens {
    const tokens: SessionTokens = {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token,
      accessTokenExpiresAt: answer.expires_in === undefined ? undefined : new Date(now + answer.expires_in * 1000),
      refreshTokenExpiresAt: answer.refresh_expires_in === undefined ? undefined : new Date(now + answer.refresh_expires_in * 1000),
    };
    this.tokens = tokens;
    this.onTokens?.({ ...tokens });
    return tokens;
  }

  /**
   * Refreshes unless another call already did since `staleToken` was sent; resolves to whether
   * a fresh access token is now in place. A refused refresh (invalid or reused token) ends the session.
   */
  refresh(staleToken: string | undefined, signal?: AbortSignal): Promise<boolean> {
    const tokens = this.tokens;
    if (!tokens?.refreshToken || !this.refresher) return Promise.resolve(false);
    if (staleToken !== undefined && tokens.accessToken !== staleToken) return Promise.resolve(true);
    this.inflight ??= this.refresher(tokens.refreshToken, signal)
      .then((answer) => (this.adopt(answer), true))
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  /** Wraps fetch: requests sent with this session's access token are refreshed before expiry and retried once after a 401. */
  wrap(send: Fetch): Fetch {
    return async (request) => {
      const bearer = request.headers.get('authorization');
      if (!this.tokens?.refreshToken || bearer !== `Bearer ${this.tokens.accessToken}`) return send(request);
      const expires = this.tokens.accessTokenExpiresAt?.getTime();
      if (expires !== undefined && expires - Date.now() < EARLY_MS) {
        // A failed early refresh is not fatal: the token may still work, and a 401 tries again below.
        await this.refresh(this.tokens.accessToken, request.signal).catch(() => false);
        request.headers.set('authorization', `Bearer ${this.tokens?.accessToken ?? ''}`);
      }
      const sentWith = this.tokens?.accessToken;
      const spare = request.clone();
      const response = await send(request);
      if (response.status !== 401) return response;
      const renewed = await this.refresh(sentWith, request.signal).catch((error: unknown) => {
        if (isRefused(error)) this.tokens = undefined;
        return false;
      });
      if (!renewed || !this.tokens) return response;
      await response.body?.cancel();
      spare.headers.set('authorization', `Bearer ${this.tokens.accessToken}`);
      return send(spare);
    };
  }
}

function isRefused(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 401;
}
