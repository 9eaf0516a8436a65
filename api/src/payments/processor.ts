/**
 * The payment processor port: Stripe (payments/stripe-processor.ts) or the offline processor
 * (payments/offline-processor.ts), chosen by config. Every mutating call carries an idempotency
 * key derived from the booking and the step (`booking:<id>:<step>`), so a retry never charges twice.
 */

/** A card as the student sees it. */
export interface Card {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

/** The state of a PaymentIntent (Stripe's names). */
export type IntentStatus = 'requires_capture' | 'requires_action' | 'requires_payment_method' | 'succeeded' | 'canceled' | 'processing';

export interface Intent {
  id: string;
  status: IntentStatus;
  amount: number;
  amount_capturable: number;
  amount_received: number;
  amount_refunded: number;
  client_secret: string | null;
  /** Until when a hold can be captured (the charge's capture_before). */
  capture_before: Date | null;
  /** Why the last confirmation failed (e.g. card_declined, authentication_required). */
  decline_code: string | null;
}

export interface AuthorizeRequest {
  amount: number;
  currency: string;
  customerId: string;
  paymentMethodId: string;
  /** Merchant-initiated (the card saved earlier, the student not present). */
  offSession: boolean;
  /** true: a hold captured later; false: charged at once (a late-cancellation fee on a saved card). */
  manualCapture: boolean;
  idempotencyKey: string;
  metadata: Record<string, string>;
}

/** The card was refused; `intent` is the PaymentIntent left behind (off-session: to confirm on-session). */
export class PaymentDeclined extends Error {
  constructor(
    readonly code: string,
    readonly intent: Intent | null,
  ) {
    super(`payment declined: ${code}`);
  }
}

/** The processor could not be reached or failed: the call may or may not have happened (retry with the same key). */
export class ProcessorUnavailable extends Error {}

/** The processor refused the request itself (unknown payment method, bad parameters). */
export class ProcessorRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface PaymentProcessor {
  readonly name: 'stripe' | 'offline';
  /** The processor's customer for a user (created with the key `user:<id>:customer`). */
  createCustomer(user: { id: string; email: string; full_name: string }): Promise<string>;
  /** A SetupIntent for saving a card in the browser: its client secret. */
  createSetupIntent(customerId: string, idempotencyKey: string): Promise<{ id: string; client_secret: string }>;
  /** Attaches a payment method (a Stripe PaymentMethod id, or a test id offline) to the customer. */
  attachPaymentMethod(customerId: string, paymentMethod: string, idempotencyKey: string): Promise<Card>;
  detachPaymentMethod(paymentMethodId: string, idempotencyKey: string): Promise<void>;
  /** Creates and confirms a PaymentIntent; a decline throws PaymentDeclined. */
  authorize(req: AuthorizeRequest): Promise<Intent>;
  /** Captures a hold (amount at most the capturable amount; the rest is released). */
  capture(intentId: string, amount: number, idempotencyKey: string): Promise<Intent>;
  /** Cancels a hold (releases it). */
  cancel(intentId: string, idempotencyKey: string): Promise<Intent>;
  /** Refunds captured money. */
  refund(intentId: string, amount: number, idempotencyKey: string): Promise<{ id: string; amount: number }>;
  /** The intent as the processor has it now. */
  retrieve(intentId: string): Promise<Intent>;
  /**
   * After the student was asked to act (3-D Secure): Stripe's client confirms with the client
   * secret, so this reads the outcome; the offline processor plays the student's part and
   * completes the authentication. With `paymentMethodId` the intent is confirmed on-session with that card.
   */
  confirmOnSession(intentId: string, paymentMethodId: string | null, idempotencyKey: string): Promise<Intent>;
}
