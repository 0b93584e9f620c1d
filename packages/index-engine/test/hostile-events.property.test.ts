import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createIndexEngine,
  FX_RATE_BOUND,
  type IndexDefinition,
  LEVEL_BOUND,
  PRICE_BOUND,
  REJECT_REASONS,
} from '../src/index.js';

/** Wide enough that the reference quotient is exact before its one rounding to 24 places. */
const Wide = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });
const T = Date.parse('2025-01-06T09:30:00+08:00');
const SHARES: Record<string, string> = { 'AAA.SH': '1000.5', 'BBB.SZ': '250', 'CCC.HK': '4000' };
/** Two divisors far apart, so both ends of the level range are reachable with in-range prices. */
const DIVISORS: Record<string, string> = { HI: '0.001', LO: '1000000000' };
const INDICES: IndexDefinition[] = Object.entries(DIVISORS).map(([id, divisor]) => ({
  id,
  divisor,
  constituents: Object.entries(SHARES).map(([symbol, shares]) => ({ symbol, shares })),
}));

/** Number texts from plain prices to the hostile ones of issue 17. */
const numberText = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2)),
  fc
    .tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -1100, max: 60_000_000 }))
    .map(([m, e]) => `${m}e${e}`),
  fc.integer({ min: 1, max: 600 }).map((n) => '9'.repeat(n)),
  // Magnitudes around every bound (prices 1e9, FX 1e-6..1e6, levels 1e-6..1e12), where mistakes hide.
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: -25, max: 20 })).map(([m, e]) => `${m}e${e}`),
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 20 }),
  fc.constantFrom(
    '1e50000000',
    '1e309',
    '0',
    '-0',
    'NaN',
    'Infinity',
    '0x10',
    '',
    ' ',
    '1e-7',
    '１２',
    '.5',
    '1.',
  ),
  fc.string({ maxLength: 30 }),
);

const event = fc.oneof(
  fc.record({
    kind: fc.constant('tick' as const),
    symbol: fc.constantFrom(...Object.keys(SHARES), 'ZZZ.SH'),
    price: numberText,
  }),
  fc.record({
    kind: fc.constant('fx-rate' as const),
    pair: fc.constantFrom('HKDCNY', 'HKDCNY', 'EURCNY'),
    rate: numberText,
  }),
);

function referenceLevel(indexId: string, prices: Map<string, Decimal>, fx: Decimal | null): string | null {
  if (fx === null || prices.size < Object.keys(SHARES).length) return null;
  let marketValue = new Wide(0);
  for (const [symbol, shares] of Object.entries(SHARES)) {
    const rate = symbol.endsWith('.HK') ? fx : new Wide(1);
    marketValue = marketValue.plus(prices.get(symbol)!.times(rate).times(shares));
  }
  return marketValue.div(DIVISORS[indexId]!).toDecimalPlaces(24, Decimal.ROUND_HALF_EVEN).toFixed();
}

describe('the engine under hostile events', () => {
  it('never throws: every event is applied with the reference level, or refused with a known reason', () => {
    const reasons = new Set<string>(REJECT_REASONS);
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const engine = createIndexEngine(INDICES);
        const prices = new Map<string, Decimal>();
        let fx: Decimal | null = null;
        events.forEach((e, i) => {
          const result = engine.apply({ ...e, eventTime: T + i });
          if (result.rejections.length > 0) {
            for (const r of result.rejections) expect(reasons.has(r.reason)).toBe(true);
            expect(result.levels).toEqual([]);
            return;
          }
          if (e.kind === 'tick' && e.symbol in SHARES) {
            const price = new Wide(e.price.trim());
            expect(price.gt(0) && price.lte(PRICE_BOUND.max)).toBe(true);
            prices.set(e.symbol, price);
          }
          if (e.kind === 'fx-rate') {
            fx = new Wide(e.rate.trim());
            expect(fx.gte(FX_RATE_BOUND.min) && fx.lte(FX_RATE_BOUND.max)).toBe(true);
          }
          for (const level of result.levels) {
            expect(level.level.toFixed()).toBe(referenceLevel(level.indexId, prices, fx));
            expect(level.level.gte(LEVEL_BOUND.min) && level.level.lte(LEVEL_BOUND.max)).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
