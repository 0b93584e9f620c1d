export type IndexId = string;
export type InstrumentSymbol = string;
export type Market = 'SH' | 'SZ' | 'HK';
export type CurrencyCode = 'CNY' | 'HKD';

const SYMBOL_PATTERN = /^([0-9A-Z]{1,10})\.(SH|SZ|HK)$/;

/** Returns the market of a symbol such as 600000.SH or 0700.HK, or null if the suffix is unknown. */
export function marketOfSymbol(symbol: string): Market | null {
  const match = SYMBOL_PATTERN.exec(symbol);
  return match ? (match[2] as Market) : null;
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
