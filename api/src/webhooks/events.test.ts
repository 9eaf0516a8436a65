import { describe, expect, it } from 'vitest';
import { eventsOfBookingChange } from './events.js';

describe('webhook events of booking history entries', () => {
  it('maps each change to its events', () => {
    expect(eventsOfBookingChange('created', 'confirmed')).toEqual(['booking.created', 'booking.confirmed']);
    expect(eventsOfBookingChange('created', 'pending')).toEqual(['booking.created']);
    expect(eventsOfBookingChange('rescheduled', 'confirmed')).toEqual(['booking.rescheduled']);
    expect(eventsOfBookingChange('no_show', 'no_show')).toEqual(['booking.no_show']);
    expect(eventsOfBookingChange('payment_authorized', 'confirmed')).toEqual(['payment.authorized']);
    expect(eventsOfBookingChange('payment_refunded', 'cancelled')).toEqual(['payment.refunded']);
    expect(eventsOfBookingChange('payment_action_required', 'pending')).toEqual([]);
  });
});
