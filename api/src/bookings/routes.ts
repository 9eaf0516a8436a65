import { Router } from 'express';
import { body, type Schema } from '../platform/contract.js';
import { requireUser } from '../platform/auth.js';
import { param, queryInt, queryString } from '../platform/http.js';
import type { IdempotencyStore } from '../platform/idempotency.js';
import type { BookingService } from './service.js';
import type { dashboardService } from './dashboard.js';

/** Booking a lesson, reading bookings, the lifecycle and the dashboard. */
export function bookingRoutes(bookings: BookingService, idempotency: IdempotencyStore, dashboard: ReturnType<typeof dashboardService>): Router {
  const r = Router();
  r.post('/v1/bookings', async (req, res) => {
    const actor = requireUser(req);
    const key = req.get('idempotency-key');
    if (!key) {
      res.status(201).json(await bookings.create(actor, body(req, 'BookingRequest'), undefined, req.widgetKey));
      return;
    }
    const result = await idempotency.run(actor.userId, key, req.body, async (save) => ({ status: 201, body: await bookings.create(actor, body(req, 'BookingRequest'), save, req.widgetKey) }));
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(result.status).type(result.status >= 400 ? 'application/problem+json' : 'application/json').send(JSON.stringify(result.body));
  });
  r.get('/v1/bookings', async (req, res) => {
    res.json(
      await bookings.list(requireUser(req), {
        role: queryString(req, 'role') as 'student' | 'instructor' | undefined,
        status: queryString(req, 'status'),
        from: queryString(req, 'from'),
        to: queryString(req, 'to'),
        limit: queryInt(req, 'limit', 20),
        cursor: queryString(req, 'cursor'),
      }),
    );
  });
  r.get('/v1/bookings/:booking_id', async (req, res) => {
    res.json(await bookings.get(requireUser(req), param(req, 'booking_id')));
  });
  r.post('/v1/bookings/:booking_id/cancel', async (req, res) => {
    res.json(await bookings.cancel(requireUser(req), param(req, 'booking_id'), (body(req, 'CancelRequest') as Partial<Schema<'CancelRequest'>> | undefined)?.reason));
  });
  r.post('/v1/bookings/:booking_id/reschedule', async (req, res) => {
    res.json(await bookings.reschedule(requireUser(req), param(req, 'booking_id'), body(req, 'RescheduleRequest')));
  });
  r.post('/v1/bookings/:booking_id/complete', async (req, res) => {
    res.json(await bookings.finish(requireUser(req), param(req, 'booking_id'), 'completed'));
  });
  r.post('/v1/bookings/:booking_id/no-show', async (req, res) => {
    res.json(await bookings.finish(requireUser(req), param(req, 'booking_id'), 'no_show'));
  });
  r.get('/v1/me/dashboard', async (req, res) => {
    res.json(await dashboard.forUser(requireUser(req)));
  });
  return r;
}

