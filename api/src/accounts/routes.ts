import { Router } from 'express';
import { body } from '../platform/contract.js';
import { requireSession, requireUser } from '../platform/auth.js';
import { param, queryInt, queryString } from '../platform/http.js';
import type { AccountService } from './service.js';
import type { ApiKeyService } from './api-keys.js';

const RESET_REQUESTED = { message: 'If an account exists for this email, a reset link is on its way. It is valid for 30 minutes.' };

/** Registration, login, password reset, the own account and its password, and API keys (keys only from a signed-in session). */
export function accountRoutes(accounts: AccountService, keys: ApiKeyService): Router {
  const r = Router();
  r.post('/v1/auth/register', async (req, res) => {
    res.status(201).json(await accounts.register(body(req, 'RegisterRequest')));
  });
  r.post('/v1/auth/login', async (req, res) => {
    res.json(await accounts.login(body(req, 'LoginRequest')));
  });
  r.post('/v1/auth/password-reset/request', async (req, res) => {
    await accounts.requestPasswordReset(body(req, 'PasswordResetRequest').email);
    res.status(202).json(RESET_REQUESTED);
  });
  r.post('/v1/auth/password-reset/confirm', async (req, res) => {
    const { token, password } = body(req, 'PasswordResetConfirm');
    await accounts.confirmPasswordReset(token, password);
    res.json({ message: 'Your password was changed. Log in with the new password.' });
  });
  r.get('/v1/me', async (req, res) => {
    res.json(await accounts.me(requireUser(req).userId));
  });
  r.patch('/v1/me', async (req, res) => {
    res.json(await accounts.updateMe(requireUser(req).userId, body(req, 'UserPatch')));
  });
  r.post('/v1/me/password', async (req, res) => {
    res.json(await accounts.changePassword(requireSession(req).userId, body(req, 'PasswordChangeRequest')));
  });
  r.get('/v1/me/api-keys', async (req, res) => {
    res.json(await keys.list(requireSession(req).userId, queryInt(req, 'limit', 20), queryString(req, 'cursor')));
  });
  r.post('/v1/me/api-keys', async (req, res) => {
    res.status(201).json(await keys.create(requireSession(req).userId, body(req, 'ApiKeyInput')));
  });
  r.delete('/v1/me/api-keys/:key_id', async (req, res) => {
    await keys.revoke(requireSession(req).userId, param(req, 'key_id'));
    res.status(204).end();
  });
  return r;
}
