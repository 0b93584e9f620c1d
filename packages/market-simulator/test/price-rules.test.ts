import { describe, expect, it, vi } from 'vitest';

// Whole simulated days per test: generous, as other suites share the CPU.
vi.setConfig({ testTimeout: 120_000 });

import {
  aShareLimitPercent,
  aShareLimits,
  HK_SPREAD_PHASE1_DATE,
  hkSpreadTable,
  isOnSpreadTable,
  roundMicroToSpreadTable,
  type SimulatedTick,
} from '../src/index.js';
import { milli, simulate, ticksOf } from './fixtures.js';

describe('price rules', () => {
  it('computes A-share limits as round(prevClose × (1 ± pct), 0.01) half-up', () => {
    expect(aShareLimits(5_580, 10)).toEqual({ lowerMilli: 5_020, upperMilli: 6_140 });
    // 11.15 × 1.1 = 12.265 → 12.27; × 0.9 = 10.035 → 10.04 (half-up on exact cents)
    expect(aShareLimits(11_150, 10)).toEqual({ lowerMilli: 10_040, upperMilli: 12_270 });
    expect(aShareLimits(11_120, 20)).toEqual({ lowerMilli: 8_900, upperMilli: 13_340 });
    expect(aShareLimits(10, 10).lowerMilli).toBe(10);
    expect(['688256.SH', '300017.SZ', '301308.SZ', '600050.SH', '002261.SZ'].map(aShareLimitPercent)).toEqual(
      [20, 20, 20, 10, 10],
    );
  });

  it('switches the HK spread table on 2025-08-04 (phase 1) and applies phase 2 only when dated', () => {
    expect(HK_SPREAD_PHASE1_DATE).toBe('2025-08-04');
    const before = hkSpreadTable('2025-08-01');
    const after = hkSpreadTable('2025-08-04');
    expect(isOnSpreadTable(before, 15_010)).toBe(false);
    expect(isOnSpreadTable(after, 15_010)).toBe(true);
    expect(isOnSpreadTable(before, 25_020)).toBe(false);
    expect(isOnSpreadTable(after, 25_020)).toBe(true);
    expect(isOnSpreadTable(after, 25_010)).toBe(false);
    expect(isOnSpreadTable(after, 5_005)).toBe(false);
    expect(isOnSpreadTable(hkSpreadTable('2026-09-01', { phase2Date: '2026-08-01' }), 5_005)).toBe(true);
    // Band edges belong to the lower band: 10.00 is a 0.01 price, 20.00 a 0.02 one.
    expect(
      isOnSpreadTable(before, 10_000) && isOnSpreadTable(before, 10_020) && !isOnSpreadTable(before, 10_010),
    ).toBe(true);
    expect(roundMicroToSpreadTable(before, 10_013_000)).toBe(10_020);
    expect(roundMicroToSpreadTable(before, 10_009_000)).toBe(10_000);
    expect(roundMicroToSpreadTable(before, 9_996_000)).toBe(10_000);
  });
});

function checkAShareLimits(
  ticks: readonly SimulatedTick[],
  referencePrices: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  const prevClose = new Map([...referencePrices].map(([s, p]) => [s, milli(p)]));
  const lastOfDay = new Map<string, number>();
  let day = '';
  for (const t of ticks) {
    if (t.symbol.endsWith('.HK')) continue;
    const date = t.ts.slice(0, 10);
    if (date !== day) {
      for (const [s, p] of lastOfDay) prevClose.set(s, p);
      lastOfDay.clear();
      day = date;
    }
    const price = milli(t.price);
    const { lowerMilli, upperMilli } = aShareLimits(prevClose.get(t.symbol)!, aShareLimitPercent(t.symbol));
    if (price % 10 !== 0 || price < lowerMilli || price > upperMilli)
      problems.push(`${t.ts} ${t.symbol} ${t.price}`);
    lastOfDay.set(t.symbol, price);
  }
  return problems;
}

describe('simulated prices', () => {
  it('keeps every A-share price on 0.01 and within the limits of the previous close, even at 50 % daily volatility', () => {
    const symbols = [
      { symbol: '600050.SH', referencePrice: '5.58', volatility: 0.5 },
      { symbol: '688256.SH', referencePrice: '658.00', volatility: 0.5 },
      { symbol: '300017.SZ', referencePrice: '11.12', volatility: 0.5 },
    ];
    const ticks = ticksOf(simulate({ symbols, days: 4, snapshotIntervalMs: 15_000 }));
    expect(checkAShareLimits(ticks, new Map(symbols.map((s) => [s.symbol, s.referencePrice])))).toEqual([]);
    // The walk does reach a limit, so the clamp is exercised.
    const closes = ticks
      .filter((t) => t.phase === 'closing_auction')
      .map((t) => `${t.ts.slice(0, 10)} ${t.symbol} ${t.price}`);
    expect(closes.length).toBe(12);
  });

  it('keeps the default run within limits too', () => {
    const ticks = ticksOf(simulate());
    const refs = new Map([
      ['600050.SH', '5.58'],
      ['688256.SH', '658.00'],
      ['300017.SZ', '11.12'],
      ['002261.SZ', '35.20'],
    ]);
    expect(checkAShareLimits(ticks, refs)).toEqual([]);
  });

  it('puts every HK price on the spread table of its date, and uses the finer phase-1 ticks from 2025-08-04', () => {
    const symbols = [
      { symbol: '0268.HK', referencePrice: '15.26' },
      { symbol: '9698.HK', referencePrice: '38.75' },
      { symbol: '0020.HK', referencePrice: '2.01' },
      { symbol: '0700.HK', referencePrice: '512.00' },
    ];
    const ticks = ticksOf(simulate({ symbols, startDate: '2025-07-31', days: 4 }));
    const off = ticks.filter((t) => !isOnSpreadTable(hkSpreadTable(t.ts.slice(0, 10)), milli(t.price)));
    expect(off.map((t) => `${t.ts} ${t.symbol} ${t.price}`)).toEqual([]);
    const finer = (t: SimulatedTick) => !isOnSpreadTable(hkSpreadTable('2025-08-01'), milli(t.price));
    expect(ticks.filter((t) => t.ts < '2025-08-04').some(finer)).toBe(false);
    expect(ticks.filter((t) => t.ts >= '2025-08-04').some(finer)).toBe(true);
  });

  it('keeps the HK closing print within ±5 % of the last continuous price', () => {
    const ticks = ticksOf(
      simulate({ symbols: [{ symbol: '3896.HK', referencePrice: '9.80', volatility: 0.8 }], days: 5 }),
    );
    const closes = ticks.flatMap((t, i) =>
      t.phase === 'closing_auction' ? [[milli(ticks[i - 1]!.price), milli(t.price)] as const] : [],
    );
    expect(closes.length).toBe(5);
    for (const [reference, close] of closes)
      expect(close * 100 >= reference * 95 && close * 100 <= reference * 105).toBe(true);
  });

  it('writes turnover = price × volume exactly and volumes in board lots', () => {
    const wrong = ticksOf(simulate({ days: 1 })).filter(
      (t) => milli(t.turnover) !== milli(t.price) * t.volume || t.volume % 100 !== 0,
    );
    expect(wrong).toEqual([]);
  });
});
