import type { Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { offlineProcessor } from './offline-processor.js';
import { stripeClient, stripeProcessor } from './stripe-processor.js';
import type { PaymentProcessor } from './processor.js';

/** Stripe when STRIPE_SECRET_KEY is set, otherwise the offline processor. */
export function createProcessor(config: Partial<Pick<Config, 'stripe'>>, db: Db, clock: Clock): PaymentProcessor {
  return config.stripe ? stripeProcessor(stripeClient(config.stripe)) : offlineProcessor(db, clock);
}
