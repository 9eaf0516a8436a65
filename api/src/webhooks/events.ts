/** Every event type an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'booking.created',
  'booking.confirmed',
  'booking.rescheduled',
  'booking.cancelled',
  'booking.completed',
  'booking.no_show',
  'payment.authorized',
  'payment.captured',
  'payment.failed',
  'payment.refunded',
  'lesson.reminder',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The event a `POST /v1/me/webhooks/{id}/test` sends (always, whatever the subscription). */
export const TEST_EVENT = 'webhook.test';

/**
 * The webhook events a booking history entry announces. A booking created already confirmed
 * announces both `booking.created` and `booking.confirmed`, so a subscriber to confirmations
 * sees every confirmed booking however it got there.
 */
export function eventsOfBookingChange(change: string, status: string): WebhookEventType[] {
  switch (change) {
    case 'created':
      return status === 'confirmed' ? ['booking.created', 'booking.confirmed'] : ['booking.created'];
    case 'confirmed':
      return ['booking.confirmed'];
    case 'rescheduled':
    case 'cancelled':
    case 'completed':
    case 'no_show':
      return [`booking.${change}`];
    // Payment steps, once they are written to the booking's history (issue 10).
    case 'payment_authorized':
    case 'payment_captured':
    case 'payment_failed':
    case 'payment_refunded':
      return [`payment.${change.slice('payment_'.length)}` as WebhookEventType];
    default:
      return [];
  }
}
