import { marketOfSymbol } from '@indexflow/market-calendar';

// Markets and their symbol suffixes belong to the market calendar; re-exported for the engine's callers.
export type { Market } from '@indexflow/market-calendar';
export { marketOfSymbol };

export type IndexId = string;
export type InstrumentSymbol = string;
export type CurrencyCode = 'CNY' | 'HKD';

/**
 * The one character set of index ids and constituent symbols: a letter or digit, then up to 63
 * letters, digits, `.`, `_` or `-`. Nothing in it can split a CSV row, start a spreadsheet
 * formula or break a Kafka key, so ids are written to every output as they are.
 */
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const IDENTIFIER_RULE = 'must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

export function isValidIdentifier(text: string): boolean {
  return IDENTIFIER_PATTERN.test(text);
}

/** Trading currency implied by the symbol's exchange suffix: CNY for .SH/.SZ, HKD for .HK. */
export function currencyOfSymbol(symbol: string): CurrencyCode | null {
  const market = marketOfSymbol(symbol);
  if (market === null) return null;
  return market === 'HK' ? 'HKD' : 'CNY';
}

export function isCurrencyCode(value: string): value is CurrencyCode {
  return value === 'CNY' || value === 'HKD';
}
