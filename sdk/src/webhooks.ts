import type { Booking, WebhookEventType } from './generated/types.gen.js';

type BookingEventType = Extract<WebhookEventType, `booking.${string}`>;

/** A webhook event as InstaInstru sends it: `{id, type, created_at, data}`. */
export type WebhookEvent =
  | { id: string; type: BookingEventType; created_at: string; data: Booking }
  | { id: string; type: 'webhook.test'; created_at: string; data: { webhook_id: string; message: string } }
  | { id: string; type: 'lesson.reminder'; created_at: string; data: { minutes_before: number; booking: Booking } }
  | { id: string; type: Exclude<WebhookEventType, BookingEventType | 'lesson.reminder'>; created_at: string; data: Record<string, unknown> };

/** Request headers as Node (`req.headers`), fetch (`Headers`) or a plain object give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** The request is not a genuine, fresh webhook from InstaInstru (answer it with 400 or 401). */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** How far `webhook-timestamp` may be from now (Standard Webhooks: 5 minutes), against replays. */
const TOLERANCE_SECONDS = 5 * 60;

function header(headers: WebhookHeaders, name: string): string {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Compares without an early exit, so the time taken does not tell how much matched. */
function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

async function signature(secret: string, content: string): Promise<string> {
  let key: Uint8Array<ArrayBuffer>;
  try {
    key = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  } catch {
    throw new TypeError('The webhook secret is not a whsec_… secret (base64 after the prefix).');
  }
  const hmac = await globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64(new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', hmac, new TextEncoder().encode(content))));
}

/**
 * Verifies a webhook request per Standard Webhooks (`webhook-id`, `webhook-timestamp` within 5
 * minutes of now, `webhook-signature`: HMAC-SHA256 of `{id}.{timestamp}.{body}`) and returns its
 * event. `payload` must be the raw body exactly as received (not re-serialized JSON); `secret` is
 * the endpoint's `whsec_…` (pass both while rotating). Rejects with `WebhookVerificationError`.
 * Uses Web Crypto: works in Node >= 20, Deno, Bun, edge runtimes and browsers.
 */
export async function verifyWebhook(payload: string | Uint8Array, headers: WebhookHeaders, secret: string | string[]): Promise<WebhookEvent> {
  const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature')
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => s.slice(3));
  if (!id || !timestamp || signatures.length === 0) throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header');
  const sent = Number(timestamp);
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('Invalid webhook-timestamp');
  const now = Math.floor(Date.now() / 1000);
  if (now - sent > TOLERANCE_SECONDS) throw new WebhookVerificationError('Message timestamp too old');
  if (sent - now > TOLERANCE_SECONDS) throw new WebhookVerificationError('Message timestamp too new');
  for (const s of Array.isArray(secret) ? secret : [secret]) {
    const expected = await signature(s, `${id}.${timestamp}.${body}`);
    if (signatures.some((given) => sameText(given, expected))) return JSON.parse(body) as WebhookEvent;
  }
  throw new WebhookVerificationError('No matching signature found');
}
