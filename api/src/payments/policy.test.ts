import { describe, expect, it } from 'vitest';
import { cancellationFeePercent, DEFAULT_CANCELLATION_POLICY, paymentPlan, percentOf } from './policy.js';

describe('cancellation policy', () => {
  it('charges nothing from 24 hours before, half later, and the last tier after the start', () => {
    expect(cancellationFeePercent(DEFAULT_CANCELLATION_POLICY, 48)).toBe(0);
    expect(cancellationFeePercent(DEFAULT_CANCELLATION_POLICY, 24)).toBe(0);
    expect(cancellationFeePercent(DEFAULT_CANCELLATION_POLICY, 23.9)).toBe(50);
    expect(cancellationFeePercent(DEFAULT_CANCELLATION_POLICY, -1)).toBe(50);
  });
  it('reads tiers in any order', () => {
    const policy = [{ hours_before: 2, fee_percent: 100 }, { hours_before: 72, fee_percent: 0 }, { hours_before: 24, fee_percent: 25 }];
    expect([100, 72, 50, 24, 10, 2, 1].map((h) => cancellationFeePercent(policy, h))).toEqual([0, 0, 25, 25, 100, 100, 100]);
  });
  it('rounds fees half up in minor units', () => {
    expect(percentOf(4500, 50)).toBe(2250);
    expect(percentOf(999, 50)).toBe(500);
  });
});

describe('payment plan', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const s = { holdWindowDays: 6, authorizeAheadDays: 4 };
  it('holds a lesson ending within the hold window, saves the card for later ones', () => {
    expect(paymentPlan(new Date('2026-12-07T09:00:00Z'), new Date('2026-12-07T10:00:00Z'), now, s)).toEqual({ hold: true });
    expect(paymentPlan(new Date('2026-12-07T10:00:00Z'), new Date('2026-12-07T11:00:00Z'), now, s)).toEqual({ hold: false, authorizeAt: new Date('2026-12-03T10:00:00Z') });
  });
});
