import { randomBytes } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { jsonColumn, type Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import { PaymentDeclined, ProcessorRejected, type AuthorizeRequest, type Card, type Intent, type PaymentProcessor } from './processor.js';

/** Stripe's test payment method ids and what they do (https://docs.stripe.com/testing). */
const TEST_CARDS: Record<string, Omit<Card, 'id'> & { outcome: 'succeeds' | 'declined' | 'authentication_required' }> = {
  pm_card_visa: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034, outcome: 'succeeds' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', exp_month: 12, exp_year: 2034, outcome: 'declined' },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184', exp_month: 12, exp_year: 2034, outcome: 'authentication_required' },
};
export const OFFLINE_TEST_CARDS = Object.keys(TEST_CARDS);

/** Holds the customer starts last 7 days; merchant-initiated ones on Visa about 5 (4 days 18 hours). */
const ON_SESSION_HOLD_MS = 7 * 86_400_000;
const OFF_SESSION_HOLD_MS = (4 * 24 + 18) * 3_600_000;

interface StoredIntent extends Omit<Intent, 'capture_before'> {
  capture_before: string | null;
  card: string;
  manual: boolean;
  off_session: boolean;
}

type Stored = { intent: string } | { declined: string; intent: string } | { refund: string; amount: number } | { value: unknown };

const id = (prefix: string) => `${prefix}_off_${randomBytes(12).toString('hex')}`;

/**
 * The offline processor: the same PaymentIntent lifecycle as Stripe, kept in this database, so
 * the platform runs (and the demo books paid lessons) without keys. Idempotency keys behave as
 * Stripe's: a repeated key returns the first outcome.
 */
export function offlineProcessor(db: Db, clock: Clock): PaymentProcessor {
  const { OfflinePaymentMethod, OfflineIntent, OfflineRequest } = db.models;

  const toIntent = (s: StoredIntent): Intent => ({ ...s, capture_before: s.capture_before ? new Date(s.capture_before) : null });
  async function load(intentId: string, tx?: Transaction): Promise<StoredIntent> {
    const row = await OfflineIntent.findByPk(intentId, { transaction: tx });
    if (!row) throw new ProcessorRejected('resource_missing', `No such payment intent: ${intentId}`);
    return jsonColumn<StoredIntent>(row.get({ plain: true }).data);
  }
  async function save(intent: StoredIntent, tx: Transaction, create = false): Promise<void> {
    const now = clock.now();
    if (create) await OfflineIntent.create({ id: intent.id, data: intent, created_at: now, updated_at: now }, { transaction: tx });
    else await OfflineIntent.update({ data: intent, updated_at: now }, { where: { id: intent.id }, transaction: tx });
  }

  /** Runs a mutating call once per idempotency key; a repeat returns (or rethrows) the first outcome. */
  async function once(key: string, fn: (tx: Transaction) => Promise<Stored>): Promise<Stored> {
    return db.transaction(async (tx) => {
      const seen = await OfflineRequest.findByPk(key, { transaction: tx });
      if (seen) return jsonColumn<Stored>(seen.get({ plain: true }).result);
      const result = await fn(tx);
      await OfflineRequest.create({ idempotency_key: key, result, created_at: clock.now() }, { transaction: tx });
      return result;
    });
  }

  async function intentOf(result: Stored): Promise<Intent> {
    if ('declined' in result) throw new PaymentDeclined(result.declined, toIntent(await load(result.intent)));
    if (!('intent' in result)) throw new Error('offline processor: not an intent result');
    return toIntent(await load(result.intent));
  }

  async function cardOf(paymentMethodId: string, tx?: Transaction): Promise<string> {
    const pm = await OfflinePaymentMethod.findByPk(paymentMethodId, { transaction: tx });
    if (!pm) throw new ProcessorRejected('resource_missing', `No such payment method: ${paymentMethodId}`);
    return pm.get({ plain: true }).card;
  }

  /** Confirms with the card: a hold (or a charge), a decline, or a request for authentication. */
  function confirm(s: StoredIntent, onSessionAuthenticated: boolean): StoredIntent | { declined: string; intent: StoredIntent } {
    const outcome = TEST_CARDS[s.card]?.outcome ?? 'declined';
    if (outcome === 'declined') return { declined: 'card_declined', intent: { ...s, status: 'requires_payment_method', decline_code: 'card_declined' } };
    if (outcome === 'authentication_required' && !onSessionAuthenticated) {
      if (s.off_session) return { declined: 'authentication_required', intent: { ...s, status: 'requires_payment_method', decline_code: 'authentication_required' } };
      return { ...s, status: 'requires_action', decline_code: null };
    }
    const now = clock.now().getTime();
    const capture_before = new Date(now + (s.off_session ? OFF_SESSION_HOLD_MS : ON_SESSION_HOLD_MS)).toISOString();
    return s.manual ? { ...s, status: 'requires_capture', amount_capturable: s.amount, capture_before, decline_code: null } : { ...s, status: 'succeeded', amount_received: s.amount, decline_code: null };
  }

  async function applyConfirm(s: StoredIntent, authenticated: boolean, tx: Transaction, create: boolean): Promise<Stored> {
    const next = confirm(s, authenticated);
    if ('declined' in next) {
      await save(next.intent, tx, create);
      return { declined: next.declined, intent: s.id };
    }
    await save(next, tx, create);
    return { intent: s.id };
  }

  return {
    name: 'offline',
    async createCustomer(user) {
      return `cus_off_${user.id.replace(/-/g, '')}`;
    },
    async createSetupIntent(customerId, idempotencyKey) {
      const r = await once(idempotencyKey, async () => ({ value: { id: id('seti'), client_secret: `${id('seti')}_secret_${customerId.slice(-6)}` } }));
      return (r as { value: { id: string; client_secret: string } }).value;
    },
    async attachPaymentMethod(customerId, paymentMethod, idempotencyKey) {
      const card = TEST_CARDS[paymentMethod];
      if (!card) throw new ProcessorRejected('invalid_payment_method', `The offline processor accepts Stripe's test payment methods: ${OFFLINE_TEST_CARDS.join(', ')}.`);
      const r = await once(idempotencyKey, async (tx) => {
        const pmId = id('pm');
        await OfflinePaymentMethod.create({ id: pmId, card: paymentMethod, customer_id: customerId, created_at: clock.now() }, { transaction: tx });
        return { value: pmId };
      });
      const { outcome: _outcome, ...shown } = card;
      return { id: String((r as { value: string }).value), ...shown };
    },
    async detachPaymentMethod(paymentMethodId, _idempotencyKey) {
      await db.transaction((tx) => OfflinePaymentMethod.update({ customer_id: null }, { where: { id: paymentMethodId }, transaction: tx }));
    },
    async authorize(req: AuthorizeRequest) {
      const result = await once(req.idempotencyKey, async (tx) => {
        const intent: StoredIntent = {
          id: id('pi'),
          status: 'requires_payment_method',
          amount: req.amount,
          amount_capturable: 0,
          amount_received: 0,
          amount_refunded: 0,
          client_secret: null,
          capture_before: null,
          decline_code: null,
          card: await cardOf(req.paymentMethodId, tx),
          manual: req.manualCapture,
          off_session: req.offSession,
        };
        intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`;
        return applyConfirm(intent, false, tx, true);
      });
      return intentOf(result);
    },
    async confirmOnSession(intentId, paymentMethodId, idempotencyKey) {
      const result = await once(idempotencyKey, async (tx) => {
        const s = await load(intentId, tx);
        if (s.status !== 'requires_action' && s.status !== 'requires_payment_method') return { intent: s.id };
        const card = paymentMethodId ? await cardOf(paymentMethodId, tx) : s.card;
        // The student is present now: an on-session confirmation, authenticated in the offline "browser".
        return applyConfirm({ ...s, card, off_session: false }, true, tx, false);
      });
      return intentOf(result);
    },
    async capture(intentId, amount, idempotencyKey) {
      const result = await once(idempotencyKey, async (tx) => {
        const s = await load(intentId, tx);
        if (s.status !== 'requires_capture') throw new ProcessorRejected('payment_intent_unexpected_state', `This PaymentIntent is ${s.status}; only a held one can be captured.`);
        if (s.capture_before && new Date(s.capture_before) < clock.now()) {
          await save({ ...s, status: 'canceled', amount_capturable: 0 }, tx);
          throw new ProcessorRejected('charge_expired_for_capture', 'The hold expired before it was captured.');
        }
        if (amount > s.amount_capturable) throw new ProcessorRejected('amount_too_large', 'Cannot capture more than the hold.');
        await save({ ...s, status: 'succeeded', amount_capturable: 0, amount_received: amount }, tx);
        return { intent: s.id };
      });
      return intentOf(result);
    },
    async cancel(intentId, idempotencyKey) {
      const result = await once(idempotencyKey, async (tx) => {
        const s = await load(intentId, tx);
        if (s.status === 'succeeded') throw new ProcessorRejected('payment_intent_unexpected_state', 'A captured PaymentIntent cannot be canceled; refund it.');
        await save({ ...s, status: 'canceled', amount_capturable: 0 }, tx);
        return { intent: s.id };
      });
      return intentOf(result);
    },
    async refund(intentId, amount, idempotencyKey) {
      const result = await once(idempotencyKey, async (tx) => {
        const s = await load(intentId, tx);
        if (amount > s.amount_received - s.amount_refunded) throw new ProcessorRejected('amount_too_large', 'Cannot refund more than was captured.');
        await save({ ...s, amount_refunded: s.amount_refunded + amount }, tx);
        return { refund: id('re'), amount };
      });
      const r = result as { refund: string; amount: number };
      return { id: r.refund, amount: r.amount };
    },
    async retrieve(intentId) {
      return toIntent(await load(intentId));
    },
  };
}
