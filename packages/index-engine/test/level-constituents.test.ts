import { describe, expect, it } from 'vitest';
import { constituentFigures } from '../src/engine/constituent-figures.js';
import type { ContributionsMode } from '../src/engine/constituent-shares.js';
import { createIndexEngine } from '../src/engine/index-engine.js';
import type { IndexDefinition } from '../src/index-definition.js';
import type { IndexLevel } from '../src/index-level.js';

const T0 = Date.parse('2025-03-20T09:30:00+08:00');
const NEXT_DAY = Date.parse('2025-03-21T09:30:00+08:00');

// Divisor 3, so every contribution is a hand division: A 10 × 100, B 5 × 200, C 20 HKD × 0.9 × 50.
const INDEX: IndexDefinition = {
  id: 'HAND',
  divisor: '3',
  constituents: [
    { symbol: 'A.SH', shares: '100' },
    { symbol: 'B.SZ', shares: '200' },
    { symbol: 'C.HK', shares: '50' },
  ],
};

function run(mode: ContributionsMode): IndexLevel[] {
  const engine = createIndexEngine([INDEX], { contributions: mode });
  const levels: IndexLevel[] = [];
  const apply = (event: Parameters<typeof engine.apply>[0]) => levels.push(...engine.apply(event).levels);
  apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.9', eventTime: T0 });
  apply({ kind: 'tick', symbol: 'A.SH', price: '10', eventTime: T0 + 1 });
  apply({ kind: 'tick', symbol: 'B.SZ', price: '5', eventTime: T0 + 2 });
  apply({ kind: 'tick', symbol: 'C.HK', price: '20', eventTime: T0 + 3 }); // first level: 2900 / 3
  apply({ kind: 'tick', symbol: 'B.SZ', price: '5.5', eventTime: T0 + 4 }); // 3000 / 3
  apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '1', eventTime: T0 + 5 }); // 3100 / 3
  apply({ kind: 'tick', symbol: 'A.SH', price: '10.1', eventTime: NEXT_DAY }); // next date: 3110 / 3
  return levels;
}

const row = (symbol: string, price: string, fxRate: string, indexShares: string, c: string, w: string) => ({
  symbol,
  price,
  fxRate,
  indexShares,
  contribution: c,
  weight: w,
});

describe('level constituents', () => {
  it('carries every constituent on the first level, then those the tick or FX moved, 24 dp half-even', () => {
    const levels = run('moved');
    expect(levels.map((l) => l.trigger)).toEqual(['tick', 'tick', 'fx-rate', 'tick']);
    // 1000 / 3, 1000 / 2900, 900 / 3, 900 / 2900 (…551724137|93 rounds up, …896551724|13 down).
    expect(levels[0]!.contributions).toEqual([
      row('A.SH', '10', '1', '100', '333.333333333333333333333333', '0.344827586206896551724138'),
      row('B.SZ', '5', '1', '200', '333.333333333333333333333333', '0.344827586206896551724138'),
      row('C.HK', '20', '0.9', '50', '300.000000000000000000000000', '0.310344827586206896551724'),
    ]);
    // B: 5.5 × 200 = 1100; 1100 / 3 = 366.66…67; 1100 / 3000.
    expect(levels[1]!.contributions).toEqual([
      row('B.SZ', '5.5', '1', '200', '366.666666666666666666666667', '0.366666666666666666666667'),
    ]);
    // FX moves the HKD names only: C 20 × 1 × 50 = 1000 of 3100.
    expect(levels[2]!.contributions).toEqual([
      row('C.HK', '20', '1', '50', '333.333333333333333333333333', '0.322580645161290322580645'),
    ]);
    // The first level of a trading date lists the whole index again (1010 + 1100 + 1000 = 3110).
    expect(levels[3]!.contributions!.map((c) => c.symbol)).toEqual(['A.SH', 'B.SZ', 'C.HK']);
    expect(levels[3]!.contributions![0]!.contribution).toBe('336.666666666666666666666667');
  });

  it('gives, with every constituent on each level, figures equal to the moved ones, and none by default', () => {
    const all = run('all');
    const moved = run('moved');
    for (let i = 0; i < moved.length; i += 1) {
      for (const c of moved[i]!.contributions!)
        expect(all[i]!.contributions!.find((a) => a.symbol === c.symbol)).toEqual(c);
      expect(all[i]!.contributions).toHaveLength(3);
    }
    expect(run('none').every((l) => l.contributions === null)).toBe(true);
    expect(
      createIndexEngine([INDEX]).apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '1', eventTime: T0 }),
    ).toMatchObject({ levels: [] });
  });

  it('lists every constituent on an adjustment level, whose divisor changes every contribution', () => {
    const engine = createIndexEngine([INDEX], { contributions: 'moved' });
    engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.9', eventTime: T0 });
    for (const [symbol, price] of [
      ['A.SH', '10'],
      ['B.SZ', '5'],
      ['C.HK', '20'],
    ] as const)
      engine.apply({ kind: 'tick', symbol, price, eventTime: T0 + 1 });
    const { levels } = engine.apply({
      kind: 'index-adjustment',
      effectiveDate: '2025-03-20',
      eventTime: T0 + 2,
      actions: [{ type: 'shares_change', indexId: 'HAND', symbol: 'A.SH', shares: '200' }],
    });
    expect(levels).toHaveLength(1);
    expect(levels[0]!.contributions!.map((c) => [c.symbol, c.indexShares])).toEqual([
      ['A.SH', '200'],
      ['B.SZ', '200'],
      ['C.HK', '50'],
    ]);
  });
});

describe('constituentFigures (from decimal text, as the engine computes them)', () => {
  it('gives each priced constituent its market value, contribution and weight, and the level at the divisor', () => {
    // The first level above: 2900 / 3 = 966.66…67 (24 dp half-even); C waits for no price here.
    const { marketValue, level, figures } = constituentFigures('3', [
      { symbol: 'A.SH', price: '10', fxRate: '1', indexShares: '100' },
      { symbol: 'B.SZ', price: '5', fxRate: '1', indexShares: '200' },
      { symbol: 'C.HK', price: '20', fxRate: '0.9', indexShares: '50' },
      { symbol: 'D.HK', price: '7', fxRate: null, indexShares: '10' },
    ]);
    expect(marketValue).toBe('2900');
    expect(level).toBe('966.666666666666666666666667');
    expect(figures[0]).toEqual({
      marketValue: '1000',
      contribution: '333.333333333333333333333333',
      weight: '0.344827586206896551724138',
    });
    expect(figures[2]?.weight).toBe('0.310344827586206896551724');
    expect(figures[3]).toBeNull();
  });

  it('rounds a level tie at the 25th place to even', () => {
    // MV 1e-22 / 8 = 0.000…0125 and 3e-22 / 8 = 0.000…0375: a 5 in the 25th place, nothing after.
    const level = (price: string) =>
      constituentFigures('8', [{ symbol: 'A.SH', price, fxRate: '1', indexShares: '0.01' }]).level;
    expect(level('0.00000000000000000001')).toBe('0.000000000000000000000012');
    expect(level('0.00000000000000000003')).toBe('0.000000000000000000000038');
  });
});
