import type { Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import { AppError } from '../platform/errors.js';
import type { AccountRepository } from '../accounts/repository.js';
import { ProcessorRejected, ProcessorUnavailable, type PaymentProcessor } from './processor.js';
import type { CardRow, PaymentRepository } from './repository.js';

type Actor = { userId: string; role: string };

/** A saved card as its owner sees it. */
export function cardView(c: CardRow) {
  return { id: c.id, brand: c.brand, last4: c.last4, exp_month: c.exp_month, exp_year: c.exp_year, is_default: c.is_default };
}

/** Maps the processor's failures on card calls to problems the client can act on. */
export async function processorCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProcessorUnavailable) throw new AppError('payment_processor_unavailable', 'The payment processor did not answer. Nothing was charged; retry in a moment.', { retry_after: 5 });
    if (err instanceof ProcessorRejected) throw new AppError('invalid_payment_method', err.message);
    throw err;
  }
}

/**
 * Students' saved cards: a SetupIntent to save one in the browser, attach, list, remove.
 * `publishableKey` (STRIPE_PUBLISHABLE_KEY) goes with each set-up on Stripe, for Stripe.js.
 */
export function cardService({ db, clock, processor, payments, accounts, publishableKey }: { db: Db; clock: Clock; processor: PaymentProcessor; payments: PaymentRepository; accounts: AccountRepository; publishableKey?: string }) {
  function payer(actor: Actor): void {
    if (actor.role === 'admin') throw new AppError('forbidden', 'Admins do not book lessons and have no cards; sign in as a student.');
  }

  /** The user's customer at the processor, created on first use. */
  async function customerOf(userId: string): Promise<string> {
    const known = await payments.customerOf(userId, processor.name);
    if (known) return known;
    const user = await accounts.findUserById(userId);
    if (!user) throw new AppError('unauthenticated', 'Sign in again.');
    const created = await processorCall(() => processor.createCustomer({ id: user.id, email: user.email, full_name: user.full_name }));
    await db.transaction((tx) => payments.saveCustomer(userId, processor.name, created, clock.now(), tx));
    // Two first uses at once: both keep the one stored first.
    return (await payments.customerOf(userId, processor.name)) ?? created;
  }

  return {
    customerOf,
    async setup(actor: Actor) {
      payer(actor);
      const customer = await customerOf(actor.userId);
      const intent = await processorCall(() => processor.createSetupIntent(customer, `user:${actor.userId}:setup:${clock.now().getTime()}`));
      const key = processor.name === 'stripe' && publishableKey ? { publishable_key: publishableKey } : {};
      return { client_secret: intent.client_secret, processor: processor.name, ...key };
    },
    async attach(actor: Actor, paymentMethod: string, makeDefault?: boolean) {
      payer(actor);
      const customer = await customerOf(actor.userId);
      // Each request is a new attach (offline test ids can be saved again after removal); the key
      // makes stripe-node's own retries of this one call safe.
      const card = await processorCall(() => processor.attachPaymentMethod(customer, paymentMethod, `user:${actor.userId}:attach:${paymentMethod}:${clock.now().getTime()}`));
      return db.transaction(async (tx) => {
        const existing = await payments.cards(actor.userId, processor.name, tx);
        const isDefault = makeDefault ?? !existing.some((c) => c.is_default);
        await payments.addCard({ ...card, user_id: actor.userId, processor: processor.name, is_default: isDefault }, clock.now(), tx);
        const saved = (await payments.cards(actor.userId, processor.name, tx)).find((c) => c.id === card.id)!;
        return cardView(saved);
      });
    },
    async list(actor: Actor) {
      payer(actor);
      return { data: (await payments.cards(actor.userId, processor.name)).map(cardView) };
    },
    async remove(actor: Actor, id: string): Promise<void> {
      payer(actor);
      const removed = await db.transaction(async (tx) => {
        const cards = await payments.cards(actor.userId, processor.name, tx);
        const card = cards.find((c) => c.id === id);
        if (!card || !(await payments.removeCard(actor.userId, id, tx))) return false;
        // The newest remaining card becomes the default.
        const next = cards.filter((c) => c.id !== id).at(-1);
        if (card.is_default && next) await payments.setDefault(actor.userId, next.id, tx);
        return true;
      });
      if (!removed) throw new AppError('not_found', 'No such card. List yours with GET /v1/me/payment-methods.');
      await processorCall(() => processor.detachPaymentMethod(id, `user:${actor.userId}:detach:${id}`)).catch(() => undefined);
    },
    /** The card a booking is paid with: the one named (it must be the user's) or the default; with the user's customer id (one query). */
    async cardFor(userId: string, paymentMethodId: string | undefined, tx: Transaction): Promise<CardRow & { customer_id: string | null }> {
      const { cards, customer } = await payments.cardsWithCustomer(userId, processor.name, tx);
      const card = paymentMethodId ? cards.find((c) => c.id === paymentMethodId) : (cards.find((c) => c.is_default) ?? cards.at(-1));
      if (!card) {
        throw new AppError(
          'payment_method_required',
          paymentMethodId ? 'That card is not one of yours. List your cards with GET /v1/me/payment-methods.' : 'This lesson is paid: save a card first (POST /v1/me/payment-methods), then book again.',
        );
      }
      return { ...card, customer_id: customer };
    },
  };
}

export type CardService = ReturnType<typeof cardService>;
