import { describe, expect, it, vi } from 'vitest';

// Whole simulated days per test: generous, as other suites share the CPU.
vi.setConfig({ testTimeout: 120_000 });

import { simulate, ticksOf } from './fixtures.js';

describe('suspensions and corporate actions', () => {
  it('prints nothing for a suspended symbol that day and resumes from its last close', () => {
    const ticks = ticksOf(
      simulate({
        days: 3,
        suspensions: [
          { symbol: '600050.SH', date: '2025-03-21' },
          { symbol: '0700.HK', date: '2025-03-20' },
        ],
      }),
    );
    const on = (symbol: string, date: string) =>
      ticks.filter((t) => t.symbol === symbol && t.ts.startsWith(date));
    expect(on('600050.SH', '2025-03-21')).toEqual([]);
    expect(on('0700.HK', '2025-03-20')).toEqual([]);
    expect(on('600050.SH', '2025-03-20').length).toBeGreaterThan(4000);
    expect(on('600050.SH', '2025-03-24').length).toBeGreaterThan(4000);
    expect(on('300017.SZ', '2025-03-21').length).toBeGreaterThan(4000);
  });

  it('moves the price basis on an ex-date (10送4 bonus divides the reference price by 1.4)', () => {
    const ticks = ticksOf(
      simulate({
        corporateActions: [{ exDate: '2025-03-21', type: 'bonus', symbol: '300017.SZ', ratio: '0.4' }],
      }),
    );
    const close = Number(
      ticks.filter((t) => t.symbol === '300017.SZ' && t.ts.startsWith('2025-03-20')).at(-1)!.price,
    );
    const open = Number(ticks.find((t) => t.symbol === '300017.SZ' && t.ts.startsWith('2025-03-21'))!.price);
    const reference = close / 1.4;
    // Day-2 limits are ±20 % of the ex-rights reference price.
    expect(open).toBeGreaterThanOrEqual(reference * 0.8 - 0.01);
    expect(open).toBeLessThanOrEqual(reference * 1.2 + 0.01);
  });

  it('rejects bad input with the field and value named', () => {
    expect(() => simulate({ seed: -1 })).toThrow('seed was -1');
    expect(() => simulate({ startDate: '2025-02-30' })).toThrow(/startDate was "2025-02-30"/);
    expect(() => simulate({ symbols: [{ symbol: 'AAPL.US', referencePrice: '1' }] })).toThrow(
      /symbols\[0\]\.symbol/,
    );
    expect(() => simulate({ symbols: [{ symbol: '600050.SH', referencePrice: '-1' }] })).toThrow(
      /referencePrice was "-1"/,
    );
  });
});
