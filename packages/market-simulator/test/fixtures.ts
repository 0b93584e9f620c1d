import {
  type SimulatedRow,
  type SimulatedTick,
  type SimulateMarketOptions,
  simulateMarket,
} from '../src/index.js';

/** A small universe: SH main board, STAR, ChiNext, SZ main board and HK names in several spread bands. */
export const SYMBOLS = [
  { symbol: '600050.SH', referencePrice: '5.58' },
  { symbol: '688256.SH', referencePrice: '658.00' },
  { symbol: '300017.SZ', referencePrice: '11.12' },
  { symbol: '002261.SZ', referencePrice: '35.20' },
  { symbol: '0700.HK', referencePrice: '512.00' },
  { symbol: '1024.HK', referencePrice: '56.60' },
  { symbol: '3896.HK', referencePrice: '9.80' },
  { symbol: '0268.HK', referencePrice: '15.26' },
] as const;

export const BASE_OPTIONS: SimulateMarketOptions = {
  seed: 42,
  startDate: '2025-03-20',
  days: 2,
  symbols: SYMBOLS,
  fx: { pair: 'HKDCNY', start: '0.9230' },
};

export function simulate(overrides: Partial<SimulateMarketOptions> = {}): SimulatedRow[] {
  return [...simulateMarket({ ...BASE_OPTIONS, ...overrides })];
}

export function ticksOf(rows: readonly SimulatedRow[]): SimulatedTick[] {
  return rows.filter((r): r is SimulatedTick => r.kind === 'tick');
}

/** Milli of a decimal price string. */
export function milli(price: string): number {
  const [whole, fraction = ''] = price.split('.');
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0'));
}

/** ms after local midnight of an ISO-8601 +08:00 timestamp. */
export function msOfDay(ts: string): number {
  const [h, m, s] = ts.slice(11, 23).split(':');
  return (Number(h) * 3600 + Number(m) * 60) * 1000 + Math.round(Number(s) * 1000);
}
