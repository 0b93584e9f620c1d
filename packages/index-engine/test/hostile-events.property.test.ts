import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIndexEngine, type IndexDefinition, LEVEL_BOUND, REJECT_REASONS } from '../src/index.js';

/** Wide enough that the reference quotient is exact before its one rounding to 24 places. */
const Wide = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });
const T = Date.parse('2025-01-06T09:30:00+08:00');
const SHARES: Record<string, string> = { 'AAA.SH': '1000.5', 'BBB.SZ': '250', 'CCC.HK': '4000' };
const INDEX: IndexDefinition = {
  id: 'P',
  divisor: '1234.5678',
  constituents: Object.entries(SHARES).map(([symbol, shares]) => ({ symbol, shares })),
};

/** Number texts from plain prices to the hostile ones of issue 17. */
const numberText = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2)),
  fc
    .tuple(fc.integer({ min: -30, max: 30 }), fc.integer({ min: -1100, max: 60_000_000 }))
    .map(([m, e]) => `${m}e${e}`),
  fc.integer({ min: 1, max: 600 }).map((n) => '9'.repeat(n)),
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

function referenceLevel(prices: Map<string, Decimal>, fx: Decimal | null): string | null {
  if (fx === null || prices.size < Object.keys(SHARES).length) return null;
  let marketValue = new Wide(0);
  for (const [symbol, shares] of Object.entries(SHARES)) {
    const rate = symbol.endsWith('.HK') ? fx : new Wide(1);
    marketValue = marketValue.plus(prices.get(symbol)!.times(rate).times(shares));
  }
  return marketValue.div(INDEX.divisor!).toDecimalPlaces(24, Decimal.ROUND_HALF_EVEN).toFixed();
}

describe('the engine under hostile events', () => {
  it('never throws: every event is applied with the reference level, or refused with a known reason', () => {
    const reasons = new Set<string>(REJECT_REASONS);
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        const engine = createIndexEngine([INDEX]);
        const prices = new Map<string, Decimal>();
        let fx: Decimal | null = null;
        events.forEach((e, i) => {
          const result = engine.apply({ ...e, eventTime: T + i });
          if (result.rejections.length > 0) {
            for (const r of result.rejections) expect(reasons.has(r.reason)).toBe(true);
            expect(result.levels).toEqual([]);
            return;
          }
          if (e.kind === 'tick' && e.symbol in SHARES) prices.set(e.symbol, new Wide(e.price.trim()));
          if (e.kind === 'fx-rate') fx = new Wide(e.rate.trim());
          for (const level of result.levels) {
            expect(level.level.toFixed()).toBe(referenceLevel(prices, fx));
            expect(level.level.gte(LEVEL_BOUND.min) && level.level.lte(LEVEL_BOUND.max)).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
