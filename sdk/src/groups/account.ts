import * as api from '../generated/sdk.gen.js';
import type {
  ConfirmPasswordResetData,
  LoginData,
  PutInstructorProfileData,
  RegisterData,
  RequestPasswordResetData,
  UpdateMeData,
} from '../generated/types.gen.js';
import { unwrap, type Context, type Params } from '../call.js';

/** Registration, login and password reset (no credentials needed). */
export function authMethods({ client }: Context) {
  return {
    /** Creates a student or instructor account; returns the user and an access token. */
    register: (body: Params<RegisterData>) => unwrap(api.register({ client, body })),
    /** Logs in; pass `access_token` to `client.setToken` to act as this user. */
    login: (body: Params<LoginData>) => unwrap(api.login({ client, body })),
    /** Emails a single-use reset token if the account exists (same answer either way). */
    requestPasswordReset: (body: Params<RequestPasswordResetData>) => unwrap(api.requestPasswordReset({ client, body })),
    /** Sets a new password with the token from the reset email. */
    confirmPasswordReset: (body: Params<ConfirmPasswordResetData>) => unwrap(api.confirmPasswordReset({ client, body })),
  };
}

/** The signed-in user's account and dashboard. */
export function meMethods({ client }: Context) {
  return {
    /** The signed-in user. */
    get: () => unwrap(api.getMe({ client })),
    /** Changes the given fields (name, timezone). */
    update: (body: Params<UpdateMeData>) => unwrap(api.updateMe({ client, body })),
    /** The role-specific overview (instructor: today, next 7 days, month; student: upcoming, history). */
    dashboard: () => unwrap(api.getDashboard({ client })),
  };
}

/** The signed-in instructor's profile and booking settings. */
export function profileMethods({ client }: Context) {
  return {
    /** The instructor profile. */
    get: () => unwrap(api.getInstructorProfile({ client })),
    /** Sets the given fields; omitted fields keep their values. */
    update: (body: Params<PutInstructorProfileData>) => unwrap(api.putInstructorProfile({ client, body })),
  };
}
