import type { Money } from '@instainstru/sdk';
import { CliProblem } from './problem.js';

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

/** How many minor units a currency has (EUR 2, JPY 0). */
export function fractionDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount as people write it, e.g. `EUR 60.00`. */
export function formatMoney({ amount, currency }: Money): string {
  const digits = fractionDigits(currency);
  return `${currency} ${(amount / 10 ** digits).toFixed(digits)}`;
}

/** A `--currency` value: an ISO 4217 code, any case (`eur` -> `EUR`). */
export function parseCurrency(value: string, flag = '--currency'): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !ISO_4217.has(code)) throw new CliProblem('invalid_input', `${flag} "${value}" is not an ISO 4217 currency code`, 'Use e.g. EUR, GBP, USD, CHF or JPY.');
  return code;
}

/** A price typed in main units (`45`, `45.50`) as integer minor units; more decimals than the currency has is an error. */
export function toMinorUnits(value: string, currency: string, flag = '--rate'): number {
  const digits = fractionDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  const example = digits === 0 ? '60' : `62.${'5'.padEnd(digits, '0')}`;
  if (!match) throw new CliProblem('invalid_input', `${flag} "${value}" is not an amount`, `Use e.g. ${flag} 60 or ${flag} ${example}.`);
  const decimals = match[2] ?? '';
  if (decimals.length > digits) {
    const allowed = digits === 0 ? 'no decimals' : `at most ${digits} decimal${digits === 1 ? '' : 's'}`;
    throw new CliProblem('invalid_input', `${flag} "${value}" has more decimals than ${currency} has (${allowed})`, `Use e.g. ${flag} ${example}.`);
  }
  const minor = Number(match[1]) * 10 ** digits + Number(decimals.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new CliProblem('invalid_input', `${flag} "${value}" is too large`);
  return minor;
}
