import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signed link in the "fix your payment" mail: `/bookings/<id>/payment?t=<student id>.<mac>`.
 * The mac (HMAC-SHA256 of the booking and its student, keyed by the server's secret) stands for
 * the student's sign-in on that one booking's payment page, as a password-reset link does for the
 * account; it does nothing once the booking no longer waits for its payment.
 */
const mac = (secret: string, bookingId: string, studentId: string) => createHmac('sha256', `payment-link:${secret}`).update(`${bookingId}:${studentId}`).digest('base64url');

export function paymentLinkToken(secret: string, bookingId: string, studentId: string): string {
  return `${studentId}.${mac(secret, bookingId, studentId)}`;
}

export function paymentLink(publicUrl: string, secret: string, bookingId: string, studentId: string): string {
  return `${publicUrl.replace(/\/$/, '')}/bookings/${bookingId}/payment?t=${encodeURIComponent(paymentLinkToken(secret, bookingId, studentId))}`;
}

/** The student the token was made for, or null when it is not this booking's. */
export function checkPaymentLinkToken(secret: string, bookingId: string, token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const studentId = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, bookingId, studentId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? studentId : null;
}
