import { Router } from 'express';
import { body } from '../platform/contract.js';
import type { SessionService } from './service.js';

/** Refreshing and ending sessions: the refresh token is the credential, so no Authorization header. */
export function sessionRoutes(sessions: SessionService): Router {
  const r = Router();
  r.post('/v1/auth/refresh', async (req, res) => {
    res.json(await sessions.refresh(body(req, 'RefreshRequest').refresh_token));
  });
  r.post('/v1/auth/logout', async (req, res) => {
    await sessions.logout(body(req, 'RefreshRequest').refresh_token);
    res.status(204).end();
  });
  return r;
}
