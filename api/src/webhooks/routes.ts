import { Router } from 'express';
import { body, type Schema } from '../platform/contract.js';
import { requireUser } from '../platform/auth.js';
import { param, queryInt, queryString } from '../platform/http.js';
import type { WebhookService } from './service.js';

/** The signed-in account's webhook endpoints and their deliveries. */
export function webhookRoutes(webhooks: WebhookService): Router {
  const r = Router();
  r.get('/v1/me/webhooks', async (req, res) => {
    res.json(await webhooks.list(requireUser(req).userId, queryInt(req, 'limit', 20), queryString(req, 'cursor')));
  });
  r.post('/v1/me/webhooks', async (req, res) => {
    res.status(201).json(await webhooks.create(requireUser(req).userId, body(req, 'WebhookInput')));
  });
  r.get('/v1/me/webhooks/:webhook_id', async (req, res) => {
    res.json(await webhooks.get(requireUser(req).userId, param(req, 'webhook_id')));
  });
  r.patch('/v1/me/webhooks/:webhook_id', async (req, res) => {
    res.json(await webhooks.update(requireUser(req).userId, param(req, 'webhook_id'), body(req, 'WebhookPatch') as Schema<'WebhookPatch'>));
  });
  r.delete('/v1/me/webhooks/:webhook_id', async (req, res) => {
    await webhooks.remove(requireUser(req).userId, param(req, 'webhook_id'));
    res.status(204).end();
  });
  r.post('/v1/me/webhooks/:webhook_id/rotate-secret', async (req, res) => {
    res.json(await webhooks.rotateSecret(requireUser(req).userId, param(req, 'webhook_id')));
  });
  r.get('/v1/me/webhooks/:webhook_id/deliveries', async (req, res) => {
    res.json(await webhooks.deliveries(requireUser(req).userId, param(req, 'webhook_id'), queryInt(req, 'limit', 20), queryString(req, 'cursor')));
  });
  r.post('/v1/me/webhooks/:webhook_id/deliveries/:delivery_id/retry', async (req, res) => {
    res.status(202).json(await webhooks.retry(requireUser(req).userId, param(req, 'webhook_id'), param(req, 'delivery_id')));
  });
  r.post('/v1/me/webhooks/:webhook_id/test', async (req, res) => {
    res.status(202).json(await webhooks.test(requireUser(req).userId, param(req, 'webhook_id')));
  });
  return r;
}
