import type { ApiKey, Booking, InstructorProfile, PaymentMethod, Service, Webhook, WebhookDelivery } from '@instainstru/sdk';
import { formatMoney } from './money.js';
import { localInstant, localSpan } from './local-time.js';
import { details, table, type Column } from './table.js';

/** The instructor profile as label/value lines. */
export function profileDetails(profile: InstructorProfile): string {
  return details([
    ['Published', profile.published ? 'yes' : 'no'],
    ['Timezone', profile.timezone],
    ['Notice', `${profile.min_advance_hours} h`],
    ['Buffer', `${profile.buffer_minutes} min`],
    ['Areas', profile.service_areas.join(', ') || '-'],
    ['Bio', profile.bio || '-'],
  ]);
}

/** The columns of a service. */
export const serviceColumns: Column<Service>[] = [
  { heading: 'id', value: (s) => s.id },
  { heading: 'skill', value: (s) => s.skill },
  { heading: 'rate/h', key: 'rate', value: (s) => formatMoney({ amount: s.hourly_rate, currency: s.currency }), sortBy: (s) => s.hourly_rate },
  { heading: 'durations', value: (s) => s.durations.join(',') },
  { heading: 'locations', value: (s) => s.location_types.join(',') },
  { heading: 'active', value: (s) => (s.active ? 'yes' : 'no') },
];

/** Services as a table. */
export function servicesTable(services: readonly Service[]): string {
  return table(services, serviceColumns);
}

/** The columns of a booking; times in the user's own zone. */
export const bookingColumns: Column<Booking>[] = [
  { heading: 'id', value: (b) => b.id },
  { heading: 'when', value: (b) => localSpan(b.start_at, b.end_at), sortBy: (b) => b.start_at },
  { heading: 'skill', value: (b) => b.skill },
  { heading: 'student', value: (b) => b.student.full_name },
  { heading: 'instructor', value: (b) => b.instructor.full_name },
  { heading: 'status', value: (b) => b.status },
  { heading: 'price', value: (b) => formatMoney(b.price), sortBy: (b) => b.price.amount },
  { heading: 'payment', value: (b) => b.payment_status.replace(/_/g, ' ') },
];

/** One booking as label/value lines. */
export function bookingDetails(b: Booking): string {
  return details([
    ['Id', b.id],
    ['Status', b.status],
    ['When', `${localSpan(b.start_at, b.end_at)}, ${b.duration_minutes} min${sameWallTime(b) ? '' : ` (${b.date} ${b.start_time}-${b.end_time} ${b.timezone} for the instructor)`}`],
    ['Lesson', `${b.skill}, ${b.location_type}`],
    ['Instructor', b.instructor.full_name],
    ['Student', b.student.full_name],
    ['Price', `${formatMoney(b.price)} (payment ${b.payment_status.replace(/_/g, ' ')})`],
    ...(b.payment ? ([['Payment', paymentLine(b.payment)]] as [string, string][]) : []),
    ['Note', b.note ?? '-'],
    ...(b.cancelled_at ? ([['Cancelled', `${localInstant(b.cancelled_at)} by ${b.cancelled_by ?? '?'}${b.cancellation_reason ? `: ${b.cancellation_reason}` : ''}`]] as [string, string][]) : []),
  ]);
}

/** What is held, taken and given back, and the next payment step. */
function paymentLine(p: NonNullable<Booking['payment']>): string {
  const money = (amount: number) => formatMoney({ amount, currency: p.currency });
  const parts = [`held ${money(p.authorized_amount)}`, `captured ${money(p.captured_amount)}`];
  if (p.refunded_amount > 0) parts.push(`refunded ${money(p.refunded_amount)}`);
  if (p.fee_amount > 0) parts.push(`fee ${money(p.fee_amount)}`);
  if (p.authorize_at) parts.push(`card authorized from ${localInstant(p.authorize_at)}`);
  if (p.action_expires_at) parts.push(`confirm before ${localInstant(p.action_expires_at)}`);
  return parts.join(', ');
}

/** A saved card. */
export const cardColumns: Column<PaymentMethod>[] = [
  { heading: 'id', value: (c) => c.id },
  { heading: 'brand', value: (c) => c.brand },
  { heading: 'last4', value: (c) => c.last4 },
  { heading: 'expires', value: (c) => `${String(c.exp_month).padStart(2, '0')}/${c.exp_year}` },
  { heading: 'default', value: (c) => (c.is_default ? 'yes' : 'no') },
];

/** The columns of an API key (prefixes only: the secret is never shown again). */
export const keyColumns: Column<ApiKey>[] = [
  { heading: 'id', value: (k) => k.id },
  { heading: 'name', value: (k) => k.name },
  { heading: 'type', value: (k) => k.type },
  { heading: 'prefix', value: (k) => `${k.prefix}…` },
  { heading: 'origins', value: (k) => k.allowed_origins.join(',') || '-' },
  { heading: 'last used', value: (k) => (k.last_used_at ? localInstant(k.last_used_at) : 'never'), sortBy: (k) => k.last_used_at ?? '' },
];

/** API keys as a table. */
export function keysTable(keys: readonly ApiKey[]): string {
  return table(keys, keyColumns);
}

/** True when the user's zone shows the lesson at the instructor's wall time. */
function sameWallTime(b: Booking): boolean {
  return localSpan(b.start_at, b.end_at).startsWith(`${b.date} ${b.start_time}-${b.end_time}`);
}

/** The columns of a webhook endpoint. */
export const webhookColumns: Column<Webhook>[] = [
  { heading: 'id', value: (w) => w.id },
  { heading: 'url', value: (w) => w.url },
  { heading: 'events', value: (w) => w.events.join(',') },
  { heading: 'status', value: (w) => (w.disabled_reason && w.disabled_reason !== 'manual' ? `disabled (${w.disabled_reason})` : w.status) },
  { heading: 'description', value: (w) => w.description || '-' },
];

/** The columns of a webhook delivery. */
export const deliveryColumns: Column<WebhookDelivery>[] = [
  { heading: 'id', value: (d) => d.id },
  { heading: 'event', value: (d) => d.event_type },
  { heading: 'status', value: (d) => d.status },
  { heading: 'attempts', value: (d) => String(d.attempts) },
  { heading: 'response', value: (d) => (d.response_status === null ? '-' : String(d.response_status)) },
  { heading: 'ms', value: (d) => (d.duration_ms === null ? '-' : String(d.duration_ms)) },
  { heading: 'next', value: (d) => (d.next_attempt_at ? localInstant(d.next_attempt_at) : '-'), sortBy: (d) => d.next_attempt_at ?? '' },
  { heading: 'created', value: (d) => localInstant(d.created_at), sortBy: (d) => d.created_at },
  { heading: 'error', value: (d) => d.last_error ?? '-' },
];
