import { Dec, IndexEngine, LevelRecord } from '@indexflow/index-engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalLevelTexts, levelToRecord } from './record-mapping.js';
import { plainOfQuotient, plainOfScaled, scaledLevelTexts } from './scaled-level-text.js';

/** A level record as the engine builds it, from raw scaled integers. */
function record(fields: {
  level: bigint;
  prevClose: bigint | null;
  open?: bigint;
  high?: bigint;
  low?: bigint;
  marketValue?: bigint;
  divisor?: string;
}): LevelRecord {
  return new LevelRecord(
    '995365',
    1_742_434_200_000,
    7,
    'tick',
    '600519.SH',
    fields.level,
    fields.open ?? fields.level,
    fields.high ?? fields.level,
    fields.low ?? fields.level,
    fields.prevClose,
    new Dec(fields.divisor ?? '123456.789'),
    fields.marketValue ?? fields.level * 10n ** 20n,
    null,
    false,
    null,
    null,
  );
}

const scaled = fc.bigInt({ min: 0n, max: 10n ** 34n });
const signed = fc.bigInt({ min: -(10n ** 34n), max: 10n ** 34n });

describe('scaledLevelTexts', () => {
  it('prints the same text as the decimal.js path for random levels and previous closes', () => {
    fc.assert(
      fc.property(
        scaled,
        fc.option(scaled, { nil: null }),
        fc.bigInt({ min: 0n, max: 10n ** 60n }),
        (level, prevClose, marketValue) => {
          const r = record({ level, prevClose, marketValue });
          expect(scaledLevelTexts(r)).toEqual(decimalLevelTexts(r));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('matches on edge values: zero change, zero and tiny closes, integers, carries, ties', () => {
    const E24 = 10n ** 24n;
    const cases: [bigint, bigint | null][] = [
      [1000n * E24, 1000n * E24],
      [1000n * E24, null],
      [1n, 0n],
      [0n, 1n],
      [1n, 3n],
      [2n, 3n],
      [999_999n * E24, 1n],
      [1000n * E24 + 5n, 1000n * E24],
      [1008_629_298_878_400_000_000_000_000n, 1000n * E24],
      [E24, 3n * E24],
      [E24 * 2n, 3n * E24],
      [99_999_999n * E24, 33_333_333n * E24],
    ];
    for (const [level, prevClose] of cases) {
      const r = record({ level, prevClose });
      expect(scaledLevelTexts(r)).toEqual(decimalLevelTexts(r));
    }
  });

  it('gives the engine records the same Avro record as before', () => {
    const engine = new IndexEngine([
      {
        id: 'X',
        initialLevel: '1000',
        constituents: [
          { symbol: '600000.SH', shares: '1000' },
          { symbol: '600519.SH', shares: '3' },
        ],
      },
    ]);
    const prices = ['10.01', '1700.5', '10.02', '1699.99', '9.87', '1701.13'];
    let t = Date.parse('2025-03-20T01:30:00Z');
    const levels = [];
    for (const [i, price] of prices.entries()) {
      t += 1000;
      const symbol = i % 2 === 0 ? '600000.SH' : '600519.SH';
      levels.push(...engine.apply({ kind: 'tick', eventTime: t, symbol, price }).levels);
    }
    expect(levels.length).toBeGreaterThan(0);
    for (const level of levels) {
      expect(level).toBeInstanceOf(LevelRecord);
      const fast = levelToRecord(level);
      const reference = { ...fast, ...decimalLevelTexts(level) };
      expect(fast).toEqual(reference);
    }
  });
});

describe('plainOfScaled and plainOfQuotient', () => {
  it('print what decimal.js prints', () => {
    fc.assert(
      fc.property(signed, fc.integer({ min: 0, max: 50 }), (value, decimals) => {
        expect(plainOfScaled(value, decimals)).toBe(new Dec(`${value}e-${decimals}`).toFixed());
      }),
      { numRuns: 2000 },
    );
    const Precise = Dec.clone({ precision: 34, rounding: Dec.ROUND_HALF_EVEN });
    fc.assert(
      fc.property(signed, fc.bigInt({ min: 1n, max: 10n ** 40n }), (n, d) => {
        expect(plainOfQuotient(n, d, 34)).toBe(
          new Dec(new Precise(n.toString()).div(new Precise(d.toString()))).toFixed(),
        );
      }),
      { numRuns: 3000 },
    );
  });
});
