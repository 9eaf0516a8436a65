import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { Booking, WebhookEventType } from './generated/types.gen.js';

export { WebhookVerificationError };

type BookingEventType = Extract<WebhookEventType, `booking.${string}`>;

/** A webhook event as InstaInstru sends it: `{id, type, created_at, data}`. */
export type WebhookEvent =
  | { id: string; type: BookingEventType; created_at: string; data: Booking }
  | { id: string; type: 'webhook.test'; created_at: string; data: { webhook_id: string; message: string } }
  | { id: string; type: Exclude<WebhookEventType, BookingEventType>; created_at: string; data: Record<string, unknown> };

/** Request headers as Node (`req.headers`), fetch (`Headers`) or a plain object give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/**
 * Verifies a webhook request (Standard Webhooks: `webhook-id`, `webhook-timestamp` within 5 minutes,
 * `webhook-signature`) and returns its event. `payload` must be the raw body exactly as received
 * (not re-serialized JSON). `secret` is the endpoint's `whsec_…`; pass both while rotating.
 * Throws `WebhookVerificationError` when no signature matches.
 */
export function verifyWebhook(payload: string | Uint8Array, headers: WebhookHeaders, secret: string | string[]): WebhookEvent {
  const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  const wanted = { 'webhook-id': header(headers, 'webhook-id'), 'webhook-timestamp': header(headers, 'webhook-timestamp'), 'webhook-signature': header(headers, 'webhook-signature') };
  let last: unknown;
  for (const s of Array.isArray(secret) ? secret : [secret]) {
    try {
      return new Webhook(s).verify(body, wanted) as WebhookEvent;
    } catch (err) {
      last = err;
    }
  }
  throw last instanceof Error ? last : new WebhookVerificationError('No matching signature found');
}
