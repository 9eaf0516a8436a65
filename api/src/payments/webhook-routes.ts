import express, { Router } from 'express';
import type Stripe from 'stripe';
import { AppError } from '../platform/errors.js';
import type { JobScheduler } from '../jobs/service.js';
import type { PaymentFlow } from '../bookings/payment-flow.js';
import type { Intent } from './processor.js';
import { intentOf } from './stripe-processor.js';

const PATH = '/v1/payments/stripe/webhook';

/**
 * Stripe's webhook: the raw body (parsed here, before the JSON parser), the signature checked
 * with stripe-node (300 s tolerance), then the event applied once. Mounted before body parsing.
 */
export function stripeWebhookRoutes(deps: { stripe?: Stripe; secret?: string; flow: PaymentFlow; jobs: JobScheduler }): Router {
  const r = Router();
  r.post(PATH, express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    if (!deps.stripe || !deps.secret) throw new AppError('not_found', 'The Stripe webhook is served only when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set.');
    const signature = req.get('stripe-signature');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error('no Stripe-Signature header');
      event = deps.stripe.webhooks.constructEvent(raw, signature, deps.secret);
    } catch {
      throw new AppError('invalid_signature', 'The Stripe-Signature header does not match this body and the webhook secret (or is older than 5 minutes). Nothing was changed.');
    }
    res.json({ received: true, outcome: await apply(deps, event) });
  });
  return r;
}

async function apply(deps: { flow: PaymentFlow; jobs: JobScheduler }, event: Stripe.Event): Promise<string> {
  const { flow } = deps;
  switch (event.type) {
    case 'payment_intent.amount_capturable_updated':
    case 'payment_intent.succeeded':
    case 'payment_intent.canceled':
    case 'payment_intent.payment_failed':
    case 'payment_intent.requires_action': {
      const pi = event.data.object;
      return flow.applyIntentEvent(event.id, event.type, intentOf(pi), pi.metadata?.booking_id ?? null);
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const intentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
      if (!intentId) return flow.recordEvent(event.id, event.type);
      const intent: Intent = { id: intentId, status: 'succeeded', amount: charge.amount, amount_capturable: 0, amount_received: charge.amount_captured, amount_refunded: charge.amount_refunded, client_secret: null, capture_before: null, decline_code: null };
      return flow.applyIntentEvent(event.id, event.type, intent, charge.metadata?.booking_id ?? null);
    }
    case 'setup_intent.succeeded': {
      // The card the student saved in the browser joins their cards (a job: it asks Stripe after commit).
      const si = event.data.object;
      const customer = typeof si.customer === 'string' ? si.customer : si.customer?.id;
      const pm = typeof si.payment_method === 'string' ? si.payment_method : si.payment_method?.id;
      return flow.recordEvent(event.id, event.type, async (tx) => {
        if (customer && pm) await deps.jobs.enqueue('payment.save-card', { customer, payment_method: pm }, { key: `setup:${si.id}`, tx });
      });
    }
    default:
      return flow.recordEvent(event.id, event.type);
  }
}
