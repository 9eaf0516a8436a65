import Stripe from 'stripe';
import { PaymentDeclined, ProcessorRejected, ProcessorUnavailable, type Card, type Intent, type IntentStatus, type PaymentProcessor } from './processor.js';

/** How stripe-node is set up: a secret key, and optionally another API address (a local stand-in in tests). */
export interface StripeOptions {
  secretKey: string;
  apiUrl?: string;
}

/** The stripe-node client: one network retry (same idempotency key), 10 s per request so a slow Stripe fails cleanly. */
export function stripeClient(o: StripeOptions): Stripe {
  const url = o.apiUrl ? new URL(o.apiUrl) : undefined;
  return new Stripe(o.secretKey, {
    maxNetworkRetries: 1,
    timeout: 10_000,
    telemetry: false,
    ...(url ? { host: url.hostname, port: url.port || (url.protocol === 'https:' ? 443 : 80), protocol: url.protocol === 'https:' ? 'https' : 'http' } : {}),
  });
}

const STATUSES: readonly IntentStatus[] = ['requires_capture', 'requires_action', 'requires_payment_method', 'succeeded', 'canceled', 'processing'];

/** Our view of a PaymentIntent (capture_before from its latest charge, when expanded). */
export function intentOf(pi: Stripe.PaymentIntent): Intent {
  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge ? pi.latest_charge : null;
  const captureBefore = charge?.payment_method_details?.card?.capture_before;
  const status = (STATUSES as readonly string[]).includes(pi.status) ? (pi.status as IntentStatus) : pi.status === 'requires_confirmation' ? 'requires_payment_method' : 'processing';
  return {
    id: pi.id,
    status,
    amount: pi.amount,
    amount_capturable: pi.amount_capturable,
    amount_received: pi.amount_received,
    amount_refunded: charge?.amount_refunded ?? 0,
    client_secret: pi.client_secret,
    capture_before: captureBefore ? new Date(captureBefore * 1000) : null,
    decline_code: pi.last_payment_error?.decline_code ?? pi.last_payment_error?.code ?? null,
  };
}

/** Maps stripe-node's errors onto the port's: a card error is a decline, a 4xx a refusal, anything else "unavailable". */
async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Stripe.errors.StripeCardError) {
      const raw = err.raw as { payment_intent?: Stripe.PaymentIntent } | undefined;
      throw new PaymentDeclined(err.decline_code ?? err.code ?? 'card_declined', raw?.payment_intent ? intentOf(raw.payment_intent) : null);
    }
    if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError) {
      throw new ProcessorRejected(err.code ?? 'invalid_request', err.message);
    }
    if (err instanceof Stripe.errors.StripeError) throw new ProcessorUnavailable(`stripe: ${err.type}: ${err.message}`, { cause: err });
    throw err;
  }
}

const expand = ['latest_charge'];

/** The Stripe implementation of the port (stripe-node). */
export function stripeProcessor(stripe: Stripe): PaymentProcessor {
  return {
    name: 'stripe',
    async createCustomer(user) {
      const c = await call(() => stripe.customers.create({ email: user.email, name: user.full_name, metadata: { user_id: user.id } }, { idempotencyKey: `user:${user.id}:customer` }));
      return c.id;
    },
    async createSetupIntent(customerId, idempotencyKey) {
      const si = await call(() => stripe.setupIntents.create({ customer: customerId, usage: 'off_session', automatic_payment_methods: { enabled: true, allow_redirects: 'never' } }, { idempotencyKey }));
      return { id: si.id, client_secret: si.client_secret ?? '' };
    },
    async attachPaymentMethod(customerId, paymentMethod, idempotencyKey): Promise<Card> {
      const pm = await call(() => stripe.paymentMethods.attach(paymentMethod, { customer: customerId }, { idempotencyKey }));
      if (!pm.card) throw new ProcessorRejected('invalid_payment_method', 'Only cards can be saved.');
      return { id: pm.id, brand: pm.card.brand, last4: pm.card.last4, exp_month: pm.card.exp_month, exp_year: pm.card.exp_year };
    },
    async detachPaymentMethod(paymentMethodId, idempotencyKey) {
      await call(() => stripe.paymentMethods.detach(paymentMethodId, {}, { idempotencyKey }));
    },
    async authorize(req) {
      const pi = await call(() =>
        stripe.paymentIntents.create(
          {
            amount: req.amount,
            currency: req.currency.toLowerCase(),
            customer: req.customerId,
            payment_method: req.paymentMethodId,
            automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
            capture_method: req.manualCapture ? 'manual' : 'automatic',
            confirm: true,
            ...(req.offSession ? { off_session: true } : {}),
            metadata: req.metadata,
            expand,
          },
          { idempotencyKey: req.idempotencyKey },
        ),
      );
      return intentOf(pi);
    },
    async capture(intentId, amount, idempotencyKey) {
      return intentOf(await call(() => stripe.paymentIntents.capture(intentId, { amount_to_capture: amount, expand }, { idempotencyKey })));
    },
    async cancel(intentId, idempotencyKey) {
      return intentOf(await call(() => stripe.paymentIntents.cancel(intentId, { expand }, { idempotencyKey })));
    },
    async refund(intentId, amount, idempotencyKey) {
      const r = await call(() => stripe.refunds.create({ payment_intent: intentId, amount }, { idempotencyKey }));
      return { id: r.id, amount: r.amount };
    },
    async retrieve(intentId) {
      return intentOf(await call(() => stripe.paymentIntents.retrieve(intentId, { expand })));
    },
    async confirmOnSession(intentId, paymentMethodId, idempotencyKey) {
      // The student confirmed in the browser (Stripe.js): read the outcome; with another card, confirm with it.
      if (!paymentMethodId) return intentOf(await call(() => stripe.paymentIntents.retrieve(intentId, { expand })));
      return intentOf(await call(() => stripe.paymentIntents.confirm(intentId, { payment_method: paymentMethodId, expand }, { idempotencyKey })));
    },
  };
}
