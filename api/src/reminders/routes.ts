import { Router } from 'express';
import { body } from '../platform/contract.js';
import { requireUser } from '../platform/auth.js';
import type { ReminderService } from './service.js';

/** The signed-in person's notification preferences (reminder offsets, mail language). */
export function reminderRoutes(reminders: ReminderService): Router {
  const r = Router();
  r.get('/v1/me/notification-preferences', async (req, res) => {
    res.json(await reminders.preferences(requireUser(req).userId));
  });
  r.put('/v1/me/notification-preferences', async (req, res) => {
    res.json(await reminders.setPreferences(requireUser(req).userId, body(req, 'NotificationPreferencesInput')));
  });
  return r;
}
