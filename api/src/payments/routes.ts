import { Router } from 'express';
import { body, type Schema } from '../platform/contract.js';
import { requireRole, requireUser } from '../platform/auth.js';
import { param } from '../platform/http.js';
import { AppError } from '../platform/errors.js';
import type { JobScheduler } from '../jobs/service.js';
import type { Clock } from '../platform/clock.js';
import type { BookingService } from '../bookings/service.js';
import type { CardService } from './cards.js';

/** Students' cards, the booking's payment actions, and the test clock. */
export function paymentRoutes(deps: { cards: CardService; bookings: BookingService; jobs: JobScheduler; clock: Clock; testClock?: { advance(ms: number): void } }): Router {
  const { cards, bookings } = deps;
  const r = Router();
  r.post('/v1/me/payment-methods/setup', async (req, res) => {
    res.status(201).json(await cards.setup(requireUser(req)));
  });
  r.get('/v1/me/payment-methods', async (req, res) => {
    res.json(await cards.list(requireUser(req)));
  });
  r.post('/v1/me/payment-methods', async (req, res) => {
    const input = body(req, 'PaymentMethodInput');
    res.status(201).json(await cards.attach(requireUser(req), input.payment_method, input.default));
  });
  r.delete('/v1/me/payment-methods/:payment_method_id', async (req, res) => {
    await cards.remove(requireUser(req), param(req, 'payment_method_id'));
    res.status(204).end();
  });
  r.post('/v1/bookings/:booking_id/confirm-payment', async (req, res) => {
    const input = body(req, 'ConfirmPaymentRequest') as Partial<Schema<'ConfirmPaymentRequest'>> | undefined;
    res.json(await bookings.confirmPayment(requireUser(req), param(req, 'booking_id'), input?.payment_method_id));
  });
  r.post('/v1/bookings/:booking_id/refund', async (req, res) => {
    const input = body(req, 'RefundRequest') as Partial<Schema<'RefundRequest'>> | undefined;
    res.json(await bookings.refund(requireUser(req), param(req, 'booking_id'), input?.amount));
  });
  r.post('/v1/admin/test-clock', async (req, res) => {
    // Outside production only (the app is built without a test clock there).
    if (!deps.testClock) throw new AppError('not_found', 'The test clock exists only outside production.');
    requireRole(req, 'admin');
    deps.testClock.advance(body(req, 'TestClockRequest').advance_seconds * 1000);
    await deps.jobs.runDue();
    res.json({ now: deps.clock.now().toISOString() });
  });
  return r;
}
