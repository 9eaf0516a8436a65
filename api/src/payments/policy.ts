/** One tier of a cancellation policy: cancelling at least `hours_before` the start costs `fee_percent`. */
export interface PolicyTier {
  hours_before: number;
  fee_percent: number;
}

/** The default: free until 24 hours before the start, 50 % after. */
export const DEFAULT_CANCELLATION_POLICY: readonly PolicyTier[] = [
  { hours_before: 24, fee_percent: 0 },
  { hours_before: 0, fee_percent: 50 },
];

/** The fee percent for cancelling `hoursBefore` the start: the tier with the largest hours_before that is still reached. */
export function cancellationFeePercent(policy: readonly PolicyTier[], hoursBefore: number): number {
  const tiers = [...policy].sort((a, b) => b.hours_before - a.hours_before);
  const tier = tiers.find((t) => hoursBefore >= t.hours_before) ?? tiers.at(-1);
  return tier?.fee_percent ?? 0;
}

/** A percentage of an amount in minor units, rounded half up. */
export function percentOf(amount: number, percent: number): number {
  return Math.round((amount * percent) / 100);
}

/** Hold now (the lesson ends within the hold window), or save the card and authorize `aheadDays` before the start. */
export function paymentPlan(start: Date, end: Date, now: Date, s: { holdWindowDays: number; authorizeAheadDays: number }): { hold: true } | { hold: false; authorizeAt: Date } {
  if (end.getTime() - now.getTime() <= s.holdWindowDays * 86_400_000) return { hold: true };
  return { hold: false, authorizeAt: new Date(start.getTime() - s.authorizeAheadDays * 86_400_000) };
}
