import { describe, expect, it, vi } from 'vitest';

// Whole simulated days per test: generous, as other suites share the CPU.
vi.setConfig({ testTimeout: 120_000 });

import {
  ASHARE_SESSIONS,
  HK_HALF_DAY_SESSIONS,
  HK_SESSIONS,
  localTimeMs,
  printPhaseAt,
  tradingDays,
} from '../src/index.js';
import { msOfDay, simulate, ticksOf } from './fixtures.js';

const rows = simulate();
const ticks = ticksOf(rows);

describe('sessions', () => {
  it('prints every tick inside its market session, in the phase it is labelled with', () => {
    const outside = ticks.filter(
      (t) =>
        printPhaseAt(t.symbol.endsWith('.HK') ? HK_SESSIONS : ASHARE_SESSIONS, msOfDay(t.ts)) !== t.phase,
    );
    expect(outside.map((t) => `${t.ts} ${t.symbol} ${t.phase}`)).toEqual([]);
  });

  it('prints nothing in the lunch break or the 09:25–09:30 gap', () => {
    const inBreak = ticks.filter((t) => {
      const ms = msOfDay(t.ts);
      const lunchStart = t.symbol.endsWith('.HK') ? localTimeMs(12, 0) : localTimeMs(11, 30);
      const inGap = !t.symbol.endsWith('.HK') && ms > localTimeMs(9, 25) && ms < localTimeMs(9, 30);
      return (ms >= lunchStart && ms < localTimeMs(13, 0)) || inGap;
    });
    expect(inBreak.map((t) => t.ts)).toEqual([]);
  });

  it('gives each symbol one opening and one closing print a day, at 09:25/15:00 (A) and 09:20–09:22/16:08–16:10 (HK)', () => {
    for (const t of ticks.filter((x) => x.phase !== 'continuous')) {
      const ms = msOfDay(t.ts);
      if (!t.symbol.endsWith('.HK'))
        expect(ms).toBe(t.phase === 'opening_auction' ? localTimeMs(9, 25) : localTimeMs(15, 0));
      else if (t.phase === 'opening_auction')
        expect(ms >= localTimeMs(9, 20) && ms < localTimeMs(9, 22)).toBe(true);
      else expect(ms >= localTimeMs(16, 8) && ms <= localTimeMs(16, 10)).toBe(true);
    }
    const count = new Map<string, number>();
    for (const t of ticks.filter((x) => x.phase !== 'continuous')) {
      const key = `${t.ts.slice(0, 10)}|${t.symbol}|${t.phase}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    expect([...count.values()].every((n) => n === 1)).toBe(true);
    expect(count.size).toBe(8 * 2 * 2);
  });

  it('sends A-share snapshots every 3 s through both continuous sessions', () => {
    const day = ticks.filter(
      (t) => t.symbol === '600050.SH' && t.ts.startsWith('2025-03-20') && t.phase === 'continuous',
    );
    expect(day.length).toBe((2 * 3600 + 117 * 60) / 3);
    const times = day.map((t) => msOfDay(t.ts));
    expect(times[0]).toBe(localTimeMs(9, 30));
    expect(times.at(-1)).toBe(localTimeMs(14, 56, 57));
    const gaps = new Set(times.slice(1).map((t, i) => t - times[i]!));
    expect([...gaps].sort((a, b) => a - b)).toEqual([3000, localTimeMs(13, 0) - localTimeMs(11, 29, 57)]);
  });

  it('thins A-share snapshots to snapshotIntervalMs', () => {
    const thin = ticksOf(simulate({ snapshotIntervalMs: 60_000 })).filter(
      (t) => t.symbol === '600050.SH' && t.phase === 'continuous',
    );
    expect(thin.length).toBe(2 * (120 + 117));
    expect(() => simulate({ snapshotIntervalMs: 1000 })).toThrow(/snapshotIntervalMs was 1000/);
  });

  it('gives HK trades irregular, seeded gaps with a mean near hkMeanTradeGapMs', () => {
    const hk = ticks.filter(
      (t) => t.symbol === '0700.HK' && t.phase === 'continuous' && t.ts.startsWith('2025-03-20'),
    );
    const mean = (5.5 * 3_600_000) / hk.length;
    expect(mean).toBeGreaterThan(1800);
    expect(mean).toBeLessThan(2200);
    const gaps = new Set(hk.slice(1).map((t, i) => msOfDay(t.ts) - msOfDay(hk[i]!.ts)));
    expect(gaps.size).toBeGreaterThan(1000);
  });

  it('emits rows in time order, FX before ticks at one instant, then by symbol', () => {
    const key = (r: (typeof rows)[number]) => (r.kind === 'fx' ? `0${r.pair}` : `1${r.symbol}`);
    const problems: string[] = [];
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      if (a.eventTime > b.eventTime || (a.eventTime === b.eventTime && key(a) >= key(b)))
        problems.push(`${b.ts} ${key(b)}`);
      if (Date.parse(b.ts) !== b.eventTime) problems.push(`${b.ts} is not ${b.eventTime}`);
    }
    expect(problems).toEqual([]);
  });

  it('opens FX before the first HK print and only on trading days', () => {
    const fx = rows.filter((r) => r.kind === 'fx');
    expect(fx[0]!.ts).toBe('2025-03-20T09:00:00.000+08:00');
    expect(fx.every((r) => /^2025-03-2[01]/.test(r.ts))).toBe(true);
    expect(fx.length).toBe(2 * 451);
  });
});

describe('trading calendar', () => {
  it('skips weekends and days both markets are closed, and marks one-market days', () => {
    const days = tradingDays('2025-04-17', 4, {
      holidays: { hk: ['2025-04-18', '2025-04-21'], ashare: ['2025-04-22'] },
    });
    expect(days).toEqual([
      { date: '2025-04-17', ashareOpen: true, hkOpen: true, hkHalfDay: false },
      { date: '2025-04-18', ashareOpen: true, hkOpen: false, hkHalfDay: false },
      { date: '2025-04-21', ashareOpen: true, hkOpen: false, hkHalfDay: false },
      { date: '2025-04-22', ashareOpen: false, hkOpen: true, hkHalfDay: false },
    ]);
  });

  it('prints HK names only where HK is open, with a 12:00 CAS on half days', () => {
    const ticks = ticksOf(
      simulate({
        startDate: '2025-12-23',
        days: 3,
        holidays: { hk: ['2025-12-25', '2025-12-26'] },
        hkHalfDays: ['2025-12-24'],
      }),
    );
    const hk = ticks.filter((t) => t.symbol.endsWith('.HK'));
    expect(new Set(hk.map((t) => t.ts.slice(0, 10)))).toEqual(new Set(['2025-12-23', '2025-12-24']));
    for (const t of hk.filter((x) => x.ts.startsWith('2025-12-24'))) {
      expect(printPhaseAt(HK_HALF_DAY_SESSIONS, msOfDay(t.ts)), t.ts).toBe(t.phase);
    }
    expect(new Set(ticks.filter((t) => !t.symbol.endsWith('.HK')).map((t) => t.ts.slice(0, 10)))).toEqual(
      new Set(['2025-12-23', '2025-12-24', '2025-12-25']),
    );
  });
});
