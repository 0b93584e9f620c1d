import { describe, expect, it } from 'vitest';
import { echo, isBoundRefusal, parseBounded } from '../src/bounded-decimal.js';
import { FX_RATE_BOUND, PRICE_BOUND } from '../src/bounds.js';
import { FxRateFilter } from '../src/fx/fx-rate-filter.js';
import { createIndexEngine, type IndexDefinition, IndexDefinitionError } from '../src/index.js';

const T = Date.parse('2025-01-06T09:30:00+08:00');
const HK_INDEX: IndexDefinition = {
  id: 'HK1',
  initialLevel: '1000',
  constituents: [
    { symbol: 'AAA.SH', shares: '1000' },
    { symbol: 'BBB.HK', shares: '2000' },
  ],
};

function problemOf(text: string, bound = PRICE_BOUND): string {
  const value = parseBounded(text, bound);
  return isBoundRefusal(value) ? value.problem : value.toFixed();
}

describe('the number grammar', () => {
  it.each([
    ['12.5', '12.5'],
    ['1.25e1', '12.5'],
    ['1e9', '1000000000'],
    ['0.000000000000000000001', 'too_many_fraction_digits'],
    ['1e10', 'too_many_integer_digits'],
    ['2e9', 'out_of_range'],
    ['1e5000000', 'malformed'],
    ['1e-5000000', 'malformed'],
    ['9'.repeat(500), 'too_long'],
    ['0', 'non_positive'],
    ['-1e400', 'non_positive'],
    ['1e', 'malformed'],
    ['.', 'malformed'],
  ])('reads %j as %s', (text, expected) => {
    expect(problemOf(text)).toBe(expected);
  });

  it('decides hostile exponents without expanding them (a 50-million-digit value would take seconds)', () => {
    for (const text of ['1e50000000', `1e${'9'.repeat(60)}`, '0e99999999']) {
      expect(problemOf(text)).toBe('malformed');
    }
  });

  it('bounds FX rates to [1e-6, 1e6]', () => {
    expect(problemOf('0.000001', FX_RATE_BOUND)).toBe('0.000001');
    expect(problemOf('0.0000009', FX_RATE_BOUND)).toBe('out_of_range');
    expect(problemOf('1e309', FX_RATE_BOUND)).toBe('too_many_integer_digits');
  });

  it('echoes at most ~200 characters of an offending value, saying how long it was', () => {
    const shown = echo('x'.repeat(100_000));
    expect(shown.length).toBeLessThan(240);
    expect(shown).toContain('100000 characters');
  });
});

describe('engine bounds', () => {
  it('refuses prices above 1e9 and hostile price text with a reason, leaving the level untouched', () => {
    const engine = createIndexEngine([
      { id: 'A', initialLevel: '1000', constituents: [{ symbol: 'AAA.SH', shares: '10' }] },
    ]);
    expect(engine.apply({ kind: 'tick', symbol: 'AAA.SH', price: '10', eventTime: T }).levels).toHaveLength(
      1,
    );
    const reasons = ['1e309', '9'.repeat(500), '1e50000000', '1000000000.5'].map(
      (price, i) =>
        engine.apply({ kind: 'tick', symbol: 'AAA.SH', price, eventTime: T + 1 + i }).rejections[0]?.reason,
    );
    expect(reasons).toEqual([
      'price_out_of_range',
      'malformed_price',
      'malformed_price',
      'price_out_of_range',
    ]);
    expect(engine.describeIndex('A')?.level?.toFixed()).toBe('1000');
  });

  it.each([
    ['HKDCNY', '1e309', 'fx_rate_out_of_range'],
    ['CNYHKD', '10000000000000', 'fx_rate_out_of_range'],
    ['USDHKD', '1e14', 'fx_rate_out_of_range'],
    ['HKDCNY', '0', 'non_positive_fx_rate'],
  ])('refuses %s %s as %s in the engine and the FX filter, index untouched', (pair, rate, reason) => {
    const engine = createIndexEngine([HK_INDEX]);
    engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.92', eventTime: T });
    engine.apply({ kind: 'tick', symbol: 'AAA.SH', price: '10', eventTime: T + 1 });
    engine.apply({ kind: 'tick', symbol: 'BBB.HK', price: '20', eventTime: T + 2 });
    const result = engine.apply({ kind: 'fx-rate', pair, rate, eventTime: T + 3 });
    expect(result.rejections.map((r) => r.reason)).toEqual([reason]);
    expect(result.levels).toEqual([]);
    expect(engine.describeIndex('HK1')?.level?.toFixed()).toBe('1000');
    const filter = new FxRateFilter();
    filter.accept({ pair: 'HKDCNY', rate: '0.92', eventTime: T });
    const filtered = filter.accept({ pair, rate, eventTime: T + 3 });
    expect(filtered.accepted ? 'accepted' : filtered.rejection.reason).toBe(reason);
  });

  it('refuses a quote whose derived HKDCNY would leave the range although the quote itself is in range', () => {
    const engine = createIndexEngine([HK_INDEX]);
    expect(
      engine.apply({ kind: 'fx-rate', pair: 'USDCNY', rate: '1000000', eventTime: T }).rejections,
    ).toEqual([]);
    const cross = engine.apply({ kind: 'fx-rate', pair: 'USDHKD', rate: '0.01', eventTime: T + 1 });
    expect(cross.rejections.map((r) => r.reason)).toEqual(['fx_rate_out_of_range']);
    expect(cross.rejections[0]?.detail).toContain('USDCNY/USDHKD');
    const filter = new FxRateFilter();
    filter.accept({ pair: 'CNYHKD', rate: '1.08', eventTime: T });
    // 1 / 999999 rounds to 0.000001000001 at 12 dp: in range; a derived 0 would not be.
    expect(filter.accept({ pair: 'CNYHKD', rate: '999999', eventTime: T + 1 }).accepted).toBe(true);
  });

  it.each([
    [{ initialLevel: '1e-60' }, 'initialLevel'],
    [{ initialLevel: '1e10' }, 'initialLevel'],
    [{ initialLevel: undefined, divisor: '1e41' }, 'divisor'],
    [{ id: 'A,B' }, 'id'],
    [{ id: '=HYPERLINK("x")' }, 'id'],
    [{ constituents: [{ symbol: 'AAA.SH', shares: '-1000' }] }, 'constituents[AAA.SH].shares'],
    [{ constituents: [{ symbol: 'AAA.SH', shares: '0' }] }, 'constituents[AAA.SH].shares'],
    [{ constituents: [{ symbol: 'AAA.SH', shares: '1e16' }] }, 'constituents[AAA.SH].shares'],
    [{ constituents: [{ symbol: 'A"A.SH', shares: '1' }] }, 'constituents.symbol'],
    [{ constituents: [{ symbol: 'AAA.SH', shares: '1', currency: 'EUR' }] }, 'constituents[AAA.SH].currency'],
  ] as const)('refuses definition %j naming field %s', (patch, field) => {
    const definition = { ...HK_INDEX, ...patch } as IndexDefinition;
    let error: unknown;
    try {
      createIndexEngine([definition]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IndexDefinitionError);
    expect((error as IndexDefinitionError).field).toBe(field);
  });
});

describe('level and divisor ranges', () => {
  const tick = (symbol: string, price: string, eventTime: number) =>
    ({ kind: 'tick', symbol, price, eventTime }) as const;

  it('refuses a tick that would publish a level outside [1e-6, 1e12], keeping the last level and price', () => {
    const engine = createIndexEngine([
      { id: 'L', divisor: '1', constituents: [{ symbol: 'AAA.SH', shares: '1000' }] },
    ]);
    expect(engine.apply(tick('AAA.SH', '1000000000', T)).levels.map((l) => l.level.toFixed())).toEqual([
      '1000000000000',
    ]);
    const high = engine.apply(tick('AAA.SH', '999999999', T + 1));
    expect(high.rejections).toEqual([]);
    const engine2 = createIndexEngine([
      { id: 'L', divisor: '1', constituents: [{ symbol: 'AAA.SH', shares: '1001' }] },
    ]);
    const refused = engine2.apply(tick('AAA.SH', '1000000000', T));
    expect(refused.rejections.map((r) => r.reason)).toEqual(['level_out_of_range']);
    expect(refused.levels).toEqual([]);
    engine2.apply(tick('AAA.SH', '10', T + 1));
    const low = engine2.apply(tick('AAA.SH', '0.0000000001', T + 2));
    expect(low.rejections.map((r) => r.reason)).toEqual(['level_out_of_range']);
    expect(engine2.describeIndex('L')?.level?.toFixed()).toBe('10010');
    expect(engine2.describeIndex('L')?.constituents[0]?.price?.toFixed()).toBe('10');
  });

  it('refuses the tick that would fix a divisor outside [1e-12, 1e40] from initialLevel', () => {
    const engine = createIndexEngine([
      { id: 'B', initialLevel: '1000000000', constituents: [{ symbol: 'AAA.SH', shares: '0.000000000001' }] },
    ]);
    const refused = engine.apply(tick('AAA.SH', '0.00000000000000000001', T));
    expect(refused.rejections.map((r) => r.reason)).toEqual(['level_out_of_range']);
    expect(engine.describeIndex('B')?.divisor).toBeNull();
    expect(engine.apply(tick('AAA.SH', '1000000000', T + 1)).levels.map((l) => l.level.toFixed())).toEqual([
      '1000000000',
    ]);
  });

  it('refuses an FX rate that would move an HK index out of its level range', () => {
    const engine = createIndexEngine([
      { id: 'H', divisor: '1', constituents: [{ symbol: 'BBB.HK', shares: '1000000' }] },
    ]);
    engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '1', eventTime: T });
    expect(engine.apply(tick('BBB.HK', '1000', T + 1)).levels).toHaveLength(1);
    const refused = engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '1000000', eventTime: T + 2 });
    expect(refused.rejections.map((r) => r.reason)).toEqual(['level_out_of_range']);
    expect(engine.describeIndex('H')?.level?.toFixed()).toBe('1000000000');
    expect(
      engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '1000', eventTime: T + 3 }).levels,
    ).toHaveLength(1);
  });
});

describe('divisor range under corporate actions', () => {
  it('refuses an action whose divisor adjustment would leave [1e-12, 1e40], changing nothing', () => {
    const engine = createIndexEngine([
      {
        id: 'D',
        initialLevel: '0.01',
        constituents: [
          { symbol: 'BIG.SH', shares: '1000000000000000' },
          { symbol: 'TINY.SH', shares: '0.000000000001' },
        ],
      },
    ]);
    engine.apply({ kind: 'tick', symbol: 'BIG.SH', price: '1000000000', eventTime: T });
    engine.apply({ kind: 'tick', symbol: 'TINY.SH', price: '0.001', eventTime: T + 1 });
    const before = engine.describeIndex('D')!;
    const adjustment = (type: 'delete' | 'shares_change', extra: object) =>
      engine.apply({
        kind: 'index-adjustment',
        effectiveDate: '2025-01-07',
        actions: [{ type, symbol: 'BIG.SH', ...extra }],
        eventTime: Date.parse('2025-01-07T00:00:00+08:00'),
      });
    const refused = adjustment('delete', {});
    expect(refused.rejections.map((r) => r.reason)).toEqual(['level_out_of_range']);
    expect(refused.levels).toEqual([]);
    const after = engine.describeIndex('D')!;
    expect(after.divisor?.toFixed()).toBe(before.divisor?.toFixed());
    expect(after.constituents.map((c) => c.symbol)).toEqual(['BIG.SH', 'TINY.SH']);
  });
});

describe('symbols outside the identifier set', () => {
  it('refuses their ticks instead of remembering their prices, and refuses adding them', () => {
    const engine = createIndexEngine([
      { id: 'S', initialLevel: '1000', constituents: [{ symbol: 'AAA.SH', shares: '10' }] },
    ]);
    const garbage = engine.apply({ kind: 'tick', symbol: '=1+1', price: '5', eventTime: T });
    expect(garbage.rejections.map((r) => r.reason)).toEqual(['unknown_symbol']);
    expect(engine.apply({ kind: 'tick', symbol: 'ZZZ.SH', price: '5', eventTime: T + 1 }).rejections).toEqual(
      [],
    );
    engine.apply({ kind: 'tick', symbol: 'AAA.SH', price: '10', eventTime: T + 2 });
    const add = engine.apply({
      kind: 'index-adjustment',
      effectiveDate: '2025-01-07',
      actions: [{ type: 'add', symbol: 'A,B', indexId: 'S', shares: '1', price: '1' }],
      eventTime: Date.parse('2025-01-07T00:00:00+08:00'),
    });
    expect(add.rejections.map((r) => r.reason)).toEqual(['invalid_action']);
    expect(engine.describeIndex('S')?.constituents.map((c) => c.symbol)).toEqual(['AAA.SH']);
  });
});

describe('closing fixings', () => {
  it('refuses a fixing whose derived HKDCNY would leave the FX range', () => {
    const engine = createIndexEngine([{ ...HK_INDEX, close: { fxFixingSource: 'FIX' } }]);
    const fixing = (pair: string, rate: string, eventTime: number) =>
      engine.apply({ kind: 'fx-rate', pair, rate, eventTime, source: 'FIX' }).rejections.map((r) => r.reason);
    expect(fixing('USDCNY', '1000000', T)).toEqual([]);
    expect(fixing('USDHKD', '0.01', T + 1)).toEqual(['fx_rate_out_of_range']);
    expect(fixing('USDHKD', '7.8', T + 2)).toEqual([]);
  });
});
