import * as api from '../generated/sdk.gen.js';
import type {
  ConfirmPasswordResetData,
  LoginData,
  PutInstructorProfileData,
  RegisterData,
  RequestPasswordResetData,
  UpdateMeData,
} from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';
import type { SessionTokens, TokenAnswer } from '../session.js';

/** Registration, login, the session's tokens and password reset. */
export function authMethods({ client, send, session }: Context) {
  const adopt = <T extends TokenAnswer>(answer: T): T => (session.adopt(answer), answer);
  return {
    /** Creates a student or instructor account; the client then acts as it (its tokens go to `onTokens`). */
    register: (body: Params<RegisterData>, options?: CallOptions) => send(options, (o) => api.register({ client, body, ...o })).then(adopt),
    /** Logs in; the client then acts as this user and keeps the session fresh with the refresh token. */
    login: (body: Params<LoginData>, options?: CallOptions) => send(options, (o) => api.login({ client, body, ...o })).then(adopt),
    /** Trades the session's refresh token for new tokens now (the client also does it by itself when needed). */
    refresh: async (options?: CallOptions): Promise<SessionTokens> => {
      const refreshToken = session.current()?.refreshToken;
      if (!refreshToken) throw new TypeError('auth.refresh() needs a refresh token: log in first, or pass refreshToken to createClient');
      return session.adopt(await refreshCall({ client, send }, refreshToken, options));
    },
    /** Ends the session at the API (its refresh token stops working) and forgets its tokens. */
    logout: async (options?: CallOptions): Promise<void> => {
      const refreshToken = session.current()?.refreshToken;
      session.set(undefined);
      if (refreshToken) await send(options, (o) => api.logout({ client, body: { refresh_token: refreshToken }, ...o }));
    },
    /** The session's current tokens (undefined when signed out or using an API key). */
    session: (): SessionTokens | undefined => session.current(),
    /** Emails a single-use reset token if the account exists (same answer either way). */
    requestPasswordReset: (body: Params<RequestPasswordResetData>, options?: CallOptions) => send(options, (o) => api.requestPasswordReset({ client, body, ...o })),
    /** Sets a new password with the token from the reset email. */
    confirmPasswordReset: (body: Params<ConfirmPasswordResetData>, options?: CallOptions) => send(options, (o) => api.confirmPasswordReset({ client, body, ...o })),
  };
}

/** `POST /v1/auth/refresh`: new access and refresh tokens (the old refresh token is spent). */
export function refreshCall({ client, send }: Pick<Context, 'client' | 'send'>, refreshToken: string, options?: CallOptions): Promise<TokenAnswer> {
  return send(options, (o) => api.refreshSession({ client, body: { refresh_token: refreshToken }, ...o }));
}

/** The signed-in user's account and dashboard. */
export function meMethods({ client, send }: Context) {
  return {
    /** The signed-in user. */
    get: (options?: CallOptions) => send(options, (o) => api.getMe({ client, ...o })),
    /** Changes the given fields (name, timezone). */
    update: (body: Params<UpdateMeData>, options?: CallOptions) => send(options, (o) => api.updateMe({ client, body, ...o })),
    /** The role-specific overview (instructor: today, next 7 days, month; student: upcoming, history). */
    dashboard: (options?: CallOptions) => send(options, (o) => api.getDashboard({ client, ...o })),
  };
}

/** The signed-in instructor's profile and booking settings. */
export function profileMethods({ client, send }: Context) {
  return {
    /** The instructor profile. */
    get: (options?: CallOptions) => send(options, (o) => api.getInstructorProfile({ client, ...o })),
    /** Sets the given fields; omitted fields keep their values. */
    update: (body: Params<PutInstructorProfileData>, options?: CallOptions) => send(options, (o) => api.putInstructorProfile({ client, body, ...o })),
  };
}
