import { describe, expect, it } from 'vitest';
import { createIndexEngine, formatFixed, type IndexDefinition, IndexDefinitionError } from '../src/index.js';

const T = Date.parse('2025-01-06T09:30:00+08:00');
const INDEX: IndexDefinition = {
  id: 'FS',
  initialLevel: '1000',
  constituents: [
    { symbol: 'AAA.SH', shares: '1000.123456789012' },
    { symbol: 'BBB.HK', shares: '2000' },
  ],
};

function started() {
  const engine = createIndexEngine([INDEX]);
  engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.92', eventTime: T });
  engine.apply({ kind: 'tick', symbol: 'AAA.SH', price: '12.34', eventTime: T + 1 });
  const { levels } = engine.apply({ kind: 'tick', symbol: 'BBB.HK', price: '7.77', eventTime: T + 2 });
  return { engine, first: levels[0]! };
}

describe('fixed scales of the hot path', () => {
  it('refuses index shares with more than 12 decimal places at definition time', () => {
    const bad = { ...INDEX, constituents: [{ symbol: 'AAA.SH', shares: '1.1234567890123' }] };
    expect(() => createIndexEngine([bad])).toThrow(IndexDefinitionError);
    expect(() => createIndexEngine([bad])).toThrow(/more than 12 decimal places/);
  });

  it('refuses a quoted FX rate with more than 12 decimal places as malformed_fx_rate', () => {
    const { engine } = started();
    const { levels, rejections } = engine.apply({
      kind: 'fx-rate',
      pair: 'HKDCNY',
      rate: '0.9212345678901',
      eventTime: T + 3,
    });
    expect(levels).toEqual([]);
    expect(rejections.map((r) => [r.reason, r.detail])).toEqual([
      ['malformed_fx_rate', 'rate was 0.9212345678901, which has more than 12 decimal places'],
    ]);
    // Trailing zeros do not count: the value has 2 decimal places.
    expect(
      engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.930000000000000', eventTime: T + 4 })
        .rejections,
    ).toEqual([]);
  });

  it('refuses a tick price with more than 20 decimal places as malformed_price', () => {
    const { engine } = started();
    const { rejections } = engine.apply({
      kind: 'tick',
      symbol: 'AAA.SH',
      price: '12.000000000000000000001',
      eventTime: T + 3,
    });
    expect(rejections.map((r) => r.reason)).toEqual(['malformed_price']);
    expect(
      engine.apply({ kind: 'tick', symbol: 'AAA.SH', price: '12.000000000000000000010', eventTime: T + 4 })
        .rejections,
    ).toEqual([]);
  });

  it('rounds ex-date index shares half-even to 12 dp before the divisor, keeping the level continuous', () => {
    const { engine, first } = started();
    const t = Date.parse('2025-01-07T00:00:00+08:00');
    engine.apply({ kind: 'session', phase: 'open', tradingDate: '2025-01-07', eventTime: t });
    const { levels, rejections } = engine.apply({
      kind: 'index-adjustment',
      effectiveDate: '2025-01-07',
      actions: [{ type: 'bonus', symbol: 'AAA.SH', ratio: '0.3' }],
      eventTime: t,
    });
    expect(rejections).toEqual([]);
    const aaa = engine.describeIndex('FS')!.constituents.find((c) => c.symbol === 'AAA.SH')!;
    // 1000.123456789012 × 1.3 = 1300.1604938257156 → 1300.160493825716
    expect(aaa.indexShares.toFixed()).toBe('1300.160493825716');
    expect(formatFixed(levels[0]!.level, 12)).toBe(formatFixed(first.level, 12));
    expect(engine.verifyMarketValues()).toEqual([]);
  });
});
