import type {
  ChangePasswordData,
  ChangePasswordResponse,
  ConfirmPasswordResetData,
  ConfirmPasswordResetResponse,
  GetCalendarFeedData,
  GetCalendarFeedResponse,
  GetDashboardData,
  GetDashboardResponse,
  GetInstructorProfileData,
  GetInstructorProfileResponse,
  GetMeData,
  GetMeResponse,
  GetNotificationPreferencesData,
  GetNotificationPreferencesResponse,
  LoginData,
  LoginResponse,
  LogoutData,
  LogoutResponse,
  PutInstructorProfileData,
  PutInstructorProfileResponse,
  RefreshSessionData,
  RefreshSessionResponse,
  RegisterData,
  RegisterResponse,
  RequestPasswordResetData,
  RequestPasswordResetResponse,
  RotateCalendarFeedData,
  RotateCalendarFeedResponse,
  SetNotificationPreferencesData,
  SetNotificationPreferencesResponse,
  UpdateMeData,
  UpdateMeResponse,
} from '../generated/types.gen.js';
import type { CallOptions, Context, Params } from '../call.js';
import type { SessionTokens, TokenAnswer } from '../session.js';

/** Registration, login, the session's tokens and password reset. */
export function authMethods({ call, session }: Context) {
  const adopt = <T extends TokenAnswer>(answer: T): T => (session.adopt(answer), answer);
  return {
    /** Creates a student or instructor account; the client then acts as it (its tokens go to `onTokens`). */
    register: (body: Params<RegisterData>, options?: CallOptions) => call<RegisterData, RegisterResponse>('POST', '/v1/auth/register', { body, auth: false }, options).then(adopt),
    /** Logs in; the client then acts as this user and keeps the session fresh with the refresh token. */
    login: (body: Params<LoginData>, options?: CallOptions) => call<LoginData, LoginResponse>('POST', '/v1/auth/login', { body, auth: false }, options).then(adopt),
    /** Trades the session's refresh token for new tokens now (the client also does it by itself when needed). */
    refresh: async (options?: CallOptions): Promise<SessionTokens> => {
      const refreshToken = session.current()?.refreshToken;
      if (!refreshToken) throw new TypeError('auth.refresh() needs a refresh token: log in first, or pass refreshToken to createClient');
      return session.adopt(await refreshCall({ call }, refreshToken, options));
    },
    /** Ends the session at the API (its refresh token stops working) and forgets its tokens. */
    logout: async (options?: CallOptions): Promise<void> => {
      const refreshToken = session.current()?.refreshToken;
      session.set(undefined);
      if (refreshToken) await call<LogoutData, LogoutResponse>('POST', '/v1/auth/logout', { body: { refresh_token: refreshToken }, auth: false }, options);
    },
    /** The session's current tokens (undefined when signed out or using an API key). */
    session: (): SessionTokens | undefined => session.current(),
    /** Emails a single-use reset token if the account exists (same answer either way). */
    requestPasswordReset: (body: Params<RequestPasswordResetData>, options?: CallOptions) => call<RequestPasswordResetData, RequestPasswordResetResponse>('POST', '/v1/auth/password-reset/request', { body, auth: false }, options),
    /** Sets a new password with the token from the reset email. */
    confirmPasswordReset: (body: Params<ConfirmPasswordResetData>, options?: CallOptions) => call<ConfirmPasswordResetData, ConfirmPasswordResetResponse>('POST', '/v1/auth/password-reset/confirm', { body, auth: false }, options),
  };
}

/** `POST /v1/auth/refresh`: new access and refresh tokens (the old refresh token is spent). */
export function refreshCall({ call }: Pick<Context, 'call'>, refreshToken: string, options?: CallOptions): Promise<TokenAnswer> {
  return call<RefreshSessionData, RefreshSessionResponse>('POST', '/v1/auth/refresh', { body: { refresh_token: refreshToken }, auth: false }, options);
}

/** The signed-in user's account and dashboard. */
export function meMethods({ call, session }: Context) {
  return {
    /** The signed-in user. */
    get: (options?: CallOptions) => call<GetMeData, GetMeResponse>('GET', '/v1/me', {}, options),
    /** Changes the given fields (name, timezone). */
    update: (body: Params<UpdateMeData>, options?: CallOptions) => call<UpdateMeData, UpdateMeResponse>('PATCH', '/v1/me', { body }, options),
    /** The role-specific overview (instructor: today, next 7 days, month; student: upcoming, history). */
    dashboard: (options?: CallOptions) => call<GetDashboardData, GetDashboardResponse>('GET', '/v1/me/dashboard', {}, options),
    /** Changes the password (sessions only, not API keys); every session ends, and the client goes on with the fresh one it answers. */
    changePassword: (body: Params<ChangePasswordData>, options?: CallOptions) =>
      call<ChangePasswordData, ChangePasswordResponse>('POST', '/v1/me/password', { body }, options).then((answer) => (session.adopt(answer), answer)),
  };
}

/** The signed-in instructor's profile and booking settings. */
export function profileMethods({ call }: Context) {
  return {
    /** The instructor profile. */
    get: (options?: CallOptions) => call<GetInstructorProfileData, GetInstructorProfileResponse>('GET', '/v1/me/instructor-profile', {}, options),
    /** Sets the given fields; omitted fields keep their values. */
    update: (body: Params<PutInstructorProfileData>, options?: CallOptions) => call<PutInstructorProfileData, PutInstructorProfileResponse>('PUT', '/v1/me/instructor-profile', { body }, options),
  };
}

/** When lesson reminders come and the language of reminder mails. */
export function notificationsMethods({ call }: Context) {
  return {
    /** The reminder offsets (minutes before each lesson) and the language (`en`, `de`). */
    get: (options?: CallOptions) => call<GetNotificationPreferencesData, GetNotificationPreferencesResponse>('GET', '/v1/me/notification-preferences', {}, options),
    /** Changes the given fields (`reminder_minutes_before: []` turns reminders off); upcoming lessons follow at once. */
    update: (body: Params<SetNotificationPreferencesData>, options?: CallOptions) =>
      call<SetNotificationPreferencesData, SetNotificationPreferencesResponse>('PUT', '/v1/me/notification-preferences', { body }, options),
  };
}

/** The signed-in user's private calendar feed (an iCalendar URL of their lessons). */
export function calendarFeedMethods({ call }: Context) {
  return {
    /** The feed's private URL (created on first call; it is the only credential). */
    get: (options?: CallOptions) => call<GetCalendarFeedData, GetCalendarFeedResponse>('GET', '/v1/me/calendar-feed', {}, options),
    /** A new URL; the old one answers 404 from now on. */
    rotate: (options?: CallOptions) => call<RotateCalendarFeedData, RotateCalendarFeedResponse>('POST', '/v1/me/calendar-feed/rotate', {}, options),
  };
}
