import type { BookingRow } from './repository.js';
import type { BookingPaymentRow } from '../payments/repository.js';

/** Names the booking view needs: both participants and the skill. */
export interface BookingNames {
  instructor: { id: string; full_name: string };
  student: { id: string; full_name: string };
  skill: string;
}

/** The booking's money; the client secret (to finish 3-D Secure) only for the student. */
export function paymentView(p: BookingPaymentRow | null, forStudent: boolean) {
  if (!p) return null;
  const at = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    amount: p.amount,
    currency: p.currency,
    authorized_amount: p.authorized_amount,
    captured_amount: p.captured_amount,
    refunded_amount: p.refunded_amount,
    fee_amount: p.fee_amount,
    authorize_at: at(p.authorize_at),
    capture_before: at(p.capture_before),
    action_expires_at: at(p.action_expires_at),
    ...(forStudent && p.client_secret ? { client_secret: p.client_secret } : {}),
  };
}

/** A booking as the API shows it to a participant. */
export function bookingView(b: BookingRow, names: BookingNames, payment: BookingPaymentRow | null = null, forStudent = false) {
  return {
    id: b.id,
    status: b.status,
    instructor_id: b.instructor_id,
    student_id: b.student_id,
    service_id: b.service_id,
    date: b.date,
    start_time: b.start_time,
    end_time: b.end_time,
    timezone: b.timezone,
    start_at: b.start_at,
    end_at: b.end_at,
    duration_minutes: b.duration_minutes,
    location_type: b.location_type,
    price: { amount: b.price_amount, currency: b.currency },
    payment_status: b.payment_status,
    payment: paymentView(payment, forStudent),
    note: b.note,
    created_at: b.created_at,
    cancelled_at: b.cancelled_at,
    cancelled_by: b.cancelled_by,
    cancellation_reason: b.cancellation_reason,
    source: b.source_kind === 'widget' ? { kind: 'widget' as const, key_id: b.source_key_id } : { kind: 'api' as const },
    instructor: names.instructor,
    student: names.student,
    skill: names.skill,
  };
}

export type BookingView = ReturnType<typeof bookingView>;
