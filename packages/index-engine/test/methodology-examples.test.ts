import { describe, expect, it } from 'vitest';
import {
  capWeights,
  chainTotalReturn,
  createIndexEngine,
  Dec,
  exchangeReferencePrice,
  formatFixed,
  inclusionFactor,
  sharesFromWeights,
} from '../src/index.js';
import { Harness, stateS2, TV1_INDEX } from './methodology-fixture.js';

const d = (x: string | number) => new Dec(x);
const fixed4 = (x: { toFixed(n: number): string } | null | undefined) =>
  x ? formatFixed(x as never, 4) : 'none';
const fixed10 = (x: unknown) => formatFixed(x as never, 10);

describe('TV0 分级靠档 tier mapping', () => {
  const cases: Array<[string, string]> = [
    ['0.049', '0.05'],
    ['0.07', '0.07'],
    ['0.123', '0.13'],
    ['0.15', '0.15'],
    ['0.1501', '0.2'],
    ['0.20', '0.2'],
    ['0.2001', '0.3'],
    ['0.35', '0.4'],
    ['0.80', '0.8'],
    ['0.8001', '1'],
    ['1', '1'],
  ];
  it.each(cases)('FF %s → k %s', (ff, k) => {
    expect(inclusionFactor(d(ff)).eq(d(k))).toBe(true);
  });
  it('reproduces the 华证 draft example: 4.9 % free float → 5,000 adjusted shares of 100,000', () => {
    const ff = d(100000 - 95100).div(100000);
    expect(inclusionFactor(ff).times(100000).toFixed()).toBe('5000');
  });
});

describe('TV1 base-date setup from target weights', () => {
  it('gives 400,000 / 1,200,000 / 875,000 / 100,000 shares and divisor 100,000', () => {
    const { shares, divisor } = sharesFromWeights(
      [
        { id: 'AAA', weight: d('0.40'), price: d(100), fxRate: d(1) },
        { id: 'BBB', weight: d('0.30'), price: d(25), fxRate: d(1) },
        { id: 'CCC', weight: d('0.07'), price: d(8), fxRate: d(1) },
        { id: 'DDD', weight: d('0.23'), price: d(250), fxRate: d('0.92') },
      ],
      d(100_000_000),
      d(1000),
    );
    expect(shares.map((s) => s.indexShares.toFixed())).toEqual(['400000', '1200000', '875000', '100000']);
    expect(divisor.toFixed()).toBe('100000');
  });
  it('rounds index shares half-even to the places asked for, and leaves them exact otherwise', () => {
    const targets = [
      { id: 'A', weight: d('0.5'), price: d(3), fxRate: d(1) },
      { id: 'B', weight: d('0.5'), price: d(8), fxRate: d(1) },
    ];
    const rounded = sharesFromWeights(targets, d(100), d(1000), { sharesDecimals: 4 });
    // 50 / 3 = 16.666…; 50 / 8 = 6.25 exactly, kept.
    expect(rounded.shares.map((s) => s.indexShares.toFixed())).toEqual(['16.6667', '6.25']);
    const exact = sharesFromWeights(targets, d(100), d(1000));
    expect(exact.shares[0]!.indexShares.toFixed().length).toBeGreaterThan(40);
  });
  it('fixes the divisor at the first fully priced moment so the level is exactly 1000', () => {
    const h = new Harness();
    h.fx('0.92');
    expect(h.tick('AAA.SH', '100')).toEqual([]);
    h.tick('BBB.SZ', '25');
    h.tick('CCC.SZ', '8');
    const [level] = h.tick('DDD.HK', '250');
    expect(fixed10(level!.level)).toBe('1000.0000000000');
    expect(level!.divisor.toFixed()).toBe('100000');
    expect(level!.sequence).toBe(1);
  });
});

describe('TV2 intraday ticks', () => {
  it('gives 1006.00, 1003.60, 1005.44, 1004.24, 1005.64 and agrees with a full recomputation', () => {
    const h = new Harness();
    h.fx('0.9200');
    for (const [s, p] of [
      ['AAA.SH', '100.00'],
      ['BBB.SZ', '25.00'],
      ['CCC.SZ', '8.00'],
      ['DDD.HK', '250.00'],
    ] as const)
      h.tick(s, p);
    const out: string[] = [];
    for (const [s, p] of [
      ['AAA.SH', '101.50'],
      ['BBB.SZ', '24.80'],
      ['DDD.HK', '252.00'],
      ['AAA.SH', '101.20'],
      ['CCC.SZ', '8.16'],
    ] as const) {
      out.push(fixed4(h.tick(s, p)[0]!.level));
    }
    expect(out).toEqual(['1006.0000', '1003.6000', '1005.4400', '1004.2400', '1005.6400']);
    expect(h.last.level.eq(d('1005.64'))).toBe(true);
    expect(h.engine.verifyMarketValues()).toEqual([]);
    expect(h.engine.fullRecomputeLevel('TV')!.eq(d('1005.64'))).toBe(true);
  });
  it('chain-links to the same level: 1000 × 100,564,000 / 100,000,000', () => {
    expect(d(1000).times(100_564_000).div(100_000_000).eq(stateS2().last.level)).toBe(true);
  });
  it('refuses a replayed tick 5 with the same sequence and keeps 1005.64', () => {
    const h = stateS2();
    const before = h.levels.length;
    h.tick('CCC.SZ', '8.50', 5);
    expect(h.levels.length).toBe(before);
    expect(h.rejections.map((r) => r.reason)).toEqual(['duplicate_sequence']);
    expect(fixed4(h.last.level)).toBe('1005.6400');
  });
  it('attaches contributions in index points that add up to the level', () => {
    const level = stateS2().last;
    const contributions = level.contributions!;
    expect(contributions.map((c) => `${c.symbol}:${d(c.contribution).toFixed()}`)).toEqual([
      'AAA.SH:404.8',
      'BBB.SZ:297.6',
      'CCC.SZ:71.4',
      'DDD.HK:231.84',
    ]);
    const sum = contributions.reduce((s, c) => s.plus(d(c.contribution)), d(0));
    expect(sum.eq(level.level)).toBe(true);
  });
});

describe('TV3 exchange reference prices', () => {
  const cases = [
    {
      name: '燃气股份 10配3 @ 11',
      inputs: { prevClose: d('23.46'), rightsRatio: d('0.3'), rightsPrice: d(11) },
      exact: '20.5846153846',
      rounded: '20.58',
    },
    {
      name: '送 + 派 + 配 @ 5',
      inputs: {
        prevClose: d(12),
        bonusRatio: d('0.3'),
        cashDividend: d('0.2'),
        rightsRatio: d('0.2'),
        rightsPrice: d(5),
      },
      exact: '8.5333333333',
      rounded: '8.53',
    },
    {
      name: 'same, 配股价 8',
      inputs: {
        prevClose: d(12),
        bonusRatio: d('0.3'),
        cashDividend: d('0.2'),
        rightsRatio: d('0.2'),
        rightsPrice: d(8),
      },
      exact: '8.9333333333',
      rounded: '8.93',
    },
    {
      name: 'pure dividend',
      inputs: { prevClose: d(10), cashDividend: d('0.30') },
      exact: '9.7000000000',
      rounded: '9.70',
    },
  ];
  it.each(cases)('$name', ({ inputs, exact, rounded }) => {
    const price = exchangeReferencePrice(inputs);
    expect(price.exact.toFixed(10, 1)).toBe(exact);
    expect(price.rounded.toFixed(2)).toBe(rounded);
  });
});

describe('TV4 ex-date corporate actions from S2', () => {
  it('TV4a bonus 10送6: divisor stays exactly 100,000, level 1005.6400', () => {
    const h = stateS2();
    const [level] = h.exDate('2025-01-07', [{ type: 'bonus', symbol: 'BBB.SZ', ratio: '0.6' }]);
    expect(level!.divisor.toFixed()).toBe('100000');
    expect(fixed4(level!.level)).toBe('1005.6400');
    const bbb = h.engine.describeIndex('TV')!.constituents.find((c) => c.symbol === 'BBB.SZ')!;
    expect(bbb.indexShares.toFixed()).toBe('1920000');
    expect(bbb.price!.toFixed()).toBe('15.5');
  });
  it('TV4b bonus 10转增3 with exact reference price: divisor stays 100,000', () => {
    const h = stateS2();
    const [level] = h.exDate('2025-01-07', [{ type: 'bonus', symbol: 'CCC.SZ', ratio: '0.3' }]);
    expect(level!.divisor.toFixed()).toBe('100000');
    expect(fixed4(level!.level)).toBe('1005.6400');
  });
  it('TV4b with the 0.01-rounded option: Div 100,003.4803707092, level stays 1005.6400', () => {
    const h = stateS2({ ...TV1_INDEX, referencePriceRounding: 'exchange' });
    const [level] = h.exDate('2025-01-07', [{ type: 'bonus', symbol: 'CCC.SZ', ratio: '0.3' }]);
    expect(fixed10(level!.divisor)).toBe('100003.4803707092');
    expect(level!.divisor.eq(d(100000).times(201135).div(201128))).toBe(true);
    expect(fixed4(level!.level)).toBe('1005.6400');
  });
  it('TV4c rights 10配3 at 79.88: Div 109,531.8404200310, level 1005.6400', () => {
    const h = stateS2();
    const [level] = h.exDate('2025-01-07', [
      { type: 'rights', symbol: 'AAA.SH', ratio: '0.3', price: '79.88' },
    ]);
    expect(fixed10(level!.divisor)).toBe('109531.8404200310');
    expect(fixed4(level!.level)).toBe('1005.6400');
    expect(level!.marketValue.toFixed()).toBe('110149600');
    expect(h.engine.verifyMarketValues()).toEqual([]);
  });
  it('TV4d bonus + cash on one ex-date: Div stays 100,000; BBB at 15.1875 → 999.6400', () => {
    const h = stateS2();
    const [level] = h.exDate('2025-01-07', [
      { type: 'bonus', symbol: 'BBB.SZ', ratio: '0.6' },
      { type: 'cash_dividend', symbol: 'BBB.SZ', amount: '0.50' },
    ]);
    expect(level!.divisor.toFixed()).toBe('100000');
    expect(fixed4(level!.level)).toBe('999.6400');
  });
  it('TV4d with the rounded option: BBB at 15.19 → 999.6880, Div stays 100,000', () => {
    const h = stateS2({ ...TV1_INDEX, referencePriceRounding: 'exchange' });
    const [level] = h.exDate('2025-01-07', [
      { type: 'cash_dividend', symbol: 'BBB.SZ', amount: '0.50' },
      { type: 'bonus', symbol: 'BBB.SZ', ratio: '0.6' },
    ]);
    expect(level!.divisor.toFixed()).toBe('100000');
    expect(fixed4(level!.level)).toBe('999.6880');
  });
});

describe('TV5 constituent replacement', () => {
  it('delete CCC, add EEE 600,000 @ 12.50: Div 100,357.9809872320; EEE 13.00 → 1008.6292988784', () => {
    const h = stateS2();
    h.exDate('2025-01-07', [
      { type: 'delete', symbol: 'CCC.SZ' },
      { type: 'add', symbol: 'EEE.SZ', indexId: 'TV', shares: '600000', price: '12.50' },
    ]);
    expect(fixed10(h.last.divisor)).toBe('100357.9809872320');
    expect(fixed4(h.last.level)).toBe('1005.6400');
    const [level] = h.tick('EEE.SZ', '13.00');
    expect(fixed10(level!.level)).toBe('1008.6292988784');
    expect(fixed4(level!.level)).toBe('1008.6293');
  });
});

describe('TV6 FX-only move', () => {
  it('0.9200 → 0.9250: divisor unchanged, 1006.9000; DDD 249 → 1004.1250', () => {
    const h = stateS2();
    const [moved] = h.fx('0.9250');
    expect(moved!.divisor.toFixed()).toBe('100000');
    expect(fixed4(moved!.level)).toBe('1006.9000');
    expect(moved!.trigger).toBe('fx-rate');
    const [ticked] = h.tick('DDD.HK', '249.00');
    expect(ticked!.level.toFixed()).toBe('1004.125');
  });
  it('inverts a CNYHKD quote before use', () => {
    const h = stateS2();
    const [moved] = h.fx(d(1).div('0.9250').toFixed(12), 'CNYHKD');
    expect(fixed4(moved!.level)).toBe('1006.9000');
  });
});

describe('TV7 tiered caps 10 % / 7.5 % / 5 %', () => {
  const u = [17, 11.5, 10.5, 8, 6, 9, 7.6, 6.4, 4.8, 3.6, 3.2, 2.4, 2.0, 1.8, 1.6, 1.2, 1.0, 0.8, 0.8, 0.8];
  const caps = u.map((_, i) => (i === 3 ? '0.075' : i === 4 ? '0.05' : '0.10'));
  it('redistributes iteratively to the published final weights', () => {
    const result = capWeights(u.map((w, i) => ({ id: `S${i + 1}`, weight: d(w), cap: d(caps[i]!) })));
    expect(result.map((r) => r.weight.times(100).toFixed())).toEqual([
      '10',
      '10',
      '10',
      '7.5',
      '5',
      '10',
      '9.5',
      '8',
      '6',
      '4.5',
      '4',
      '3',
      '2.5',
      '2.25',
      '2',
      '1.5',
      '1.25',
      '1',
      '1',
      '1',
    ]);
    expect(result.slice(0, 6).map((r) => r.capFactor.toFixed(12))).toEqual([
      d(8).div(17).toFixed(12),
      d(16).div(23).toFixed(12),
      d(16).div(21).toFixed(12),
      '0.750000000000',
      d(2).div(3).toFixed(12),
      d(8).div(9).toFixed(12),
    ]);
    expect(result.slice(6).every((r) => r.capFactor.eq(1))).toBe(true);
  });
  it('Option A shares (ff × WF) re-weight exactly and give Div 12,800,000 at level 1250', () => {
    const ff = [
      27_200_000,
      46_000_000,
      26_250_000,
      64_000_000,
      60_000_000,
      45_000_000,
      ...Array(14).fill(80_000_000),
    ];
    const prices = [125, 50, 80, 25, 20, 40, 19, 16, 12, 9, 8, 6, 5, 4.5, 4, 3, 2.5, 2, 2, 2];
    const wf = ['8/17', '16/23', '16/21', '3/4', '2/3', '8/9'];
    const q = ff.map((f, i) => (i < 6 ? d(f).times(wf[i]!.split('/')[0]!).div(wf[i]!.split('/')[1]!) : d(f)));
    expect(q.slice(0, 6).map((x) => x.toFixed())).toEqual([
      '12800000',
      '32000000',
      '20000000',
      '48000000',
      '40000000',
      '40000000',
    ]);
    const mv = q.reduce((s, x, i) => s.plus(x.times(prices[i]!)), d(0));
    expect(mv.toFixed()).toBe('16000000000');
    expect(mv.div(1250).toFixed()).toBe('12800000');
  });
  it('TV7b terminates when a name lands exactly on its cap', () => {
    const result = capWeights([52, 32, 10, 6].map((w, i) => ({ id: `S${i}`, weight: d(w), cap: d('0.4') })));
    expect(result.map((r) => r.weight.times(100).toFixed())).toEqual(['40', '40', '12.5', '7.5']);
  });
  it('refuses caps that cannot add up to 100 %', () => {
    expect(() => capWeights([{ id: 'A', weight: d(1), cap: d('0.5') }])).toThrow(/caps add up to 0.5/);
  });
});

describe('TV8 cash dividend: PR, TR, NTR and the special-dividend variant', () => {
  const trIndex = { ...TV1_INDEX, totalReturn: { withholdingRate: '0.10' } };
  it('PR 999.64 / TR 1005.64 / NTR 1005.04 on T+1; 1006.84 / 1012.8832 / 1012.2789 on T+2', () => {
    const h = stateS2(trIndex);
    const [t1] = h.exDate('2025-01-07', [{ type: 'cash_dividend', symbol: 'BBB.SZ', amount: '0.50' }]);
    expect(t1!.divisor.toFixed()).toBe('100000');
    expect(fixed4(t1!.level)).toBe('999.6400');
    expect(fixed4(t1!.totalReturnLevel)).toBe('1005.6400');
    expect(fixed4(t1!.netTotalReturnLevel)).toBe('1005.0400');
    h.tick('BBB.SZ', '24.30'); // closes at its reference price: no change, no level
    h.exDate('2025-01-08', []);
    const [t2] = h.tick('AAA.SH', '103.00');
    expect(fixed4(t2!.level)).toBe('1006.8400');
    expect(fixed10(t2!.totalReturnLevel)).toBe('1012.8832155576');
    expect(fixed10(t2!.netTotalReturnLevel)).toBe('1012.2788940018');
  });
  it('as a special dividend the divisor becomes 99,403.3650212800 and T+2 is 1012.8832155576', () => {
    const h = stateS2();
    const [t1] = h.exDate('2025-01-07', [{ type: 'special_dividend', symbol: 'BBB.SZ', amount: '0.50' }]);
    expect(fixed10(t1!.divisor)).toBe('99403.3650212800');
    expect(fixed4(t1!.level)).toBe('1005.6400');
    h.exDate('2025-01-08', []);
    const [t2] = h.tick('AAA.SH', '103.00');
    expect(fixed10(t2!.level)).toBe('1012.8832155576');
  });
});

describe('TV9 NSE total-return example', () => {
  const pr = [1000, 988.92, 978.22, 964.01, 953.07, 948.82, 917.26, 902.56, 913.21, 904.08, 898.86, 892.79]
    .map(String)
    .map(d);
  const dividends = pr.map(() => d(0));
  dividends[6] = d(150_000_000).times(1000).div(1_550_000_000_000);
  dividends[9] = d(220_000_000).times(1000).div(1_572_500_000_000);
  it('NSE convention reproduces the published table for days 7–12', () => {
    const tr = chainTotalReturn(pr, dividends, d(1000), 'nse');
    expect(tr.slice(6).map((x) => x.toFixed(4))).toEqual([
      '917.3536',
      '902.6521',
      '913.3031',
      '904.3107',
      '899.0894',
      '893.0178',
    ]);
    expect(tr.slice(1, 6).every((x, i) => x.eq(pr[i + 1]!))).toBe(true);
  });
  it('S&P convention gives 917.3568 … 893.0224', () => {
    const tr = chainTotalReturn(pr, dividends, d(1000), 'sp');
    expect(tr.slice(6).map((x) => x.toFixed(4))).toEqual([
      '917.3568',
      '902.6552',
      '913.3063',
      '904.3153',
      '899.0939',
      '893.0224',
    ]);
  });
});

describe('stale FX flag', () => {
  it('marks levels of an index with HKD constituents once the HKDCNY rate is older than fxMaxAgeMs', () => {
    const engine = createIndexEngine([TV1_INDEX], { fxMaxAgeMs: 60_000 });
    const t = Date.parse('2025-01-06T09:30:00+08:00');
    engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.92', eventTime: t });
    for (const [symbol, price] of [
      ['AAA.SH', '100'],
      ['BBB.SZ', '25'],
      ['CCC.SZ', '8'],
      ['DDD.HK', '250'],
    ] as const) {
      engine.apply({ kind: 'tick', symbol, price, eventTime: t + 1000 });
    }
    const fresh = engine.apply({ kind: 'tick', symbol: 'AAA.SH', price: '101', eventTime: t + 30_000 })
      .levels[0]!;
    const stale = engine.apply({ kind: 'tick', symbol: 'AAA.SH', price: '102', eventTime: t + 120_000 })
      .levels[0]!;
    expect([fresh.fxStale, stale.fxStale]).toEqual([false, true]);
    const refreshed = engine.apply({ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.921', eventTime: t + 121_000 })
      .levels[0]!;
    expect(refreshed.fxStale).toBe(false);
  });

  it('refuses to add to a based index that no longer holds any constituent, changing nothing', () => {
    const h = stateS2();
    h.exDate('2025-01-07', [
      { type: 'delete', symbol: 'AAA.SH' },
      { type: 'delete', symbol: 'BBB.SZ' },
      { type: 'delete', symbol: 'CCC.SZ' },
      { type: 'delete', symbol: 'DDD.HK' },
      { type: 'add', symbol: 'EEE.SZ', indexId: 'TV', shares: '100', price: '10' },
    ]);
    expect(h.rejections.map((r) => r.reason)).toEqual(['invalid_action']);
    // The whole rebalance is withheld: TV keeps its four constituents rather than none.
    expect(h.engine.describeIndex('TV')!.constituents.map((c) => c.symbol)).toEqual([
      'AAA.SH',
      'BBB.SZ',
      'CCC.SZ',
      'DDD.HK',
    ]);
  });
});
