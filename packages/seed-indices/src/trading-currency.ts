import type { TradingCurrency } from './seed-index-definitions.js';

/** Returns the trading currency implied by a symbol's exchange suffix (.SH/.SZ → CNY, .HK → HKD). */
export function tradingCurrency(symbol: string): TradingCurrency {
  if (symbol.endsWith('.SH') || symbol.endsWith('.SZ')) return 'CNY';
  if (symbol.endsWith('.HK')) return 'HKD';
  throw new Error(`symbol ${symbol} has no known exchange suffix (.SH, .SZ, .HK)`);
}
