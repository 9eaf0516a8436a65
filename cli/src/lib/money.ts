import type { Money } from '@instainstru/sdk';

/** How many minor units a currency has (EUR 2, JPY 0). */
function fractionDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount as people write it, e.g. `EUR 60.00`. */
export function formatMoney({ amount, currency }: Money): string {
  const digits = fractionDigits(currency);
  return `${currency} ${(amount / 10 ** digits).toFixed(digits)}`;
}

/** A price typed in main units (`45`, `45.50`) as integer minor units of the currency. */
export function toMinorUnits(value: string, currency: string): number {
  const amount = Number(value);
  if (!Number.isFinite(amount) || amount < 0) throw new RangeError(`"${value}" is not an amount`);
  return Math.round(amount * 10 ** fractionDigits(currency));
}
