import { MarketCalendar, validateCalendarYear } from '@indexflow/market-calendar';
import { describe, expect, it } from 'vitest';
import { Dec } from '../src/decimal.js';
import type { OfficialClose } from '../src/engine/official-close.js';
import type { IndexEvent } from '../src/events/index-event.js';
import { IndexDefinitionError, IndexEngine, type IndexLevel } from '../src/index.js';
import type { IndexDefinition } from '../src/index-definition.js';

const at = (date: string, time: string) => Date.parse(`${date}T${time}+08:00`);
const tick = (date: string, time: string, symbol: string, price: string): IndexEvent => ({
  kind: 'tick',
  eventTime: at(date, time),
  symbol,
  price,
});
const fx = (date: string, time: string, rate: string, source?: string): IndexEvent => ({
  kind: 'fx-rate',
  eventTime: at(date, time),
  pair: 'HKDCNY',
  rate,
  ...(source === undefined ? {} : { source }),
});

const ASHARE: IndexDefinition = {
  id: 'A',
  initialLevel: '1000',
  constituents: [
    { symbol: '600000.SH', shares: '1000' },
    { symbol: '000001.SZ', shares: '3000' },
  ],
};
const CROSS: IndexDefinition = {
  id: 'X',
  divisor: '100',
  constituents: [
    { symbol: '600000.SH', shares: '10' },
    { symbol: '0700.HK', shares: '2' },
  ],
};

function run(definitions: IndexDefinition[], events: IndexEvent[]) {
  const engine = new IndexEngine(definitions);
  const levels: IndexLevel[] = [];
  const closes: OfficialClose[] = [];
  for (const event of events) {
    const result = engine.apply(event);
    levels.push(...result.levels);
    closes.push(...(result.closes ?? []));
  }
  return { engine, levels, closes };
}

/** Σ(P × FX × q) / D from a close's own columns, to 24 dp half-even: what a file reader recomputes. */
function levelFromColumns(close: OfficialClose): string {
  const mv = close.constituents.reduce(
    (sum, c) => sum.plus(new Dec(c.price).times(c.fxRate).times(c.indexShares)),
    new Dec(0),
  );
  return mv.div(close.divisor).toFixed(24, Dec.ROUND_HALF_EVEN);
}

const lastLevelAtOrBefore = (levels: IndexLevel[], indexId: string, time: number) =>
  levels.filter((l) => l.indexId === indexId && l.eventTime <= time).at(-1)!;

describe('official closes', () => {
  const day1 = '2025-03-20';
  const day2 = '2025-03-21';
  const events: IndexEvent[] = [
    fx(day1, '09:00:00', '0.9230'),
    tick(day1, '09:25:00', '000001.SZ', '11.00'),
    tick(day1, '09:25:00', '600000.SH', '10.00'),
    tick(day1, '09:30:00', '0700.HK', '400.00'),
    tick(day1, '14:59:57', '600000.SH', '10.10'),
    tick(day1, '15:00:00', '000001.SZ', '11.11'),
    // After-hours fixed-price trading must not move the 15:00 close.
    tick(day1, '15:05:00', '600000.SH', '10.12'),
    fx(day1, '16:00:00', '0.9240'),
    tick(day1, '16:10:00', '0700.HK', '401.20'),
    fx(day1, '16:30:00', '0.9250'),
    tick(day2, '09:25:00', '600000.SH', '10.30'),
    tick(day2, '09:31:00', '0700.HK', '399.00'),
    tick(day2, '15:00:00', '000001.SZ', '10.90'),
  ];

  it('closes an A-share index at 15:00 with the closing prints and not the later ones', () => {
    const { levels, closes } = run([ASHARE], events);
    const [close, ...rest] = closes;
    expect(rest).toEqual([]);
    expect(close).toMatchObject({
      indexId: 'A',
      tradingDate: day1,
      closeTime: at(day1, '15:00:00'),
      fx: null,
    });
    const atClose = lastLevelAtOrBefore(levels, 'A', at(day1, '15:00:00'));
    expect(close!.level).toBe(atClose.level.toFixed(24));
    // The 15:05 print moved the live level, not the close.
    expect(levels.at(-1)!.level.toFixed(24)).not.toBe(close!.level);
    expect(close!.constituents.map((c) => [c.symbol, c.price])).toEqual([
      ['000001.SZ', '11.11'],
      ['600000.SH', '10.1'],
    ]);
    expect(levelFromColumns(close!)).toBe(close!.level);
    const weights = close!.constituents.reduce((sum, c) => sum.plus(c.weight), new Dec(0));
    expect(weights.minus(1).abs().lte('1e-24')).toBe(true);
    expect(close!.prevClose).toBeNull();
    // The first day has no start-of-day prices to attribute the move against.
    expect(close!.constituents.every((c) => c.dayContribution === null)).toBe(true);
  });

  it('closes a cross-market index after the HK closing auction with the streamed rate, recorded as such', () => {
    const { levels, closes } = run([CROSS], events);
    expect(closes.map((c) => c.tradingDate)).toEqual([day1]);
    const close = closes[0]!;
    expect(close.closeTime).toBe(at(day1, '16:10:00'));
    expect(close.fx).toEqual({
      pair: 'HKDCNY',
      rate: '0.924',
      eventTime: at(day1, '16:00:00'),
      basis: 'streamed',
      source: null,
    });
    expect(close.level).toBe(lastLevelAtOrBefore(levels, 'X', at(day1, '16:10:00')).level.toFixed(24));
    expect(close.constituents.find((c) => c.symbol === '0700.HK')).toMatchObject({
      price: '401.2',
      fxRate: '0.924',
      indexShares: '2',
    });
    expect(levelFromColumns(close)).toBe(close.level);
  });

  it('uses the closing fixing of the index fixing source, which does not move intraday levels', () => {
    const withFixing: IndexDefinition = { ...CROSS, close: { fxFixingSource: 'CFETS-fixing' } };
    const fixed = [...events];
    fixed.splice(8, 0, fx(day1, '16:05:00', '0.9200', 'CFETS-fixing'));
    const plain = run([CROSS], events);
    const { levels, closes } = run([withFixing], fixed);
    expect(levels.map((l) => l.level.toFixed(24))).toEqual(plain.levels.map((l) => l.level.toFixed(24)));
    const close = closes[0]!;
    expect(close.fx).toEqual({
      pair: 'HKDCNY',
      rate: '0.92',
      eventTime: at(day1, '16:05:00'),
      basis: 'fixing',
      source: 'CFETS-fixing',
    });
    // 10 × 10.12 (the 15:05 print precedes 16:10) + 2 × 401.20 × 0.92 = 839.408, over D = 100.
    expect(close.level).toBe('8.394080000000000000000000');
    expect(levelFromColumns(close)).toBe(close.level);
  });

  it('closes the previous date when the next date opens before any later event, and attributes the day move', () => {
    const { levels, closes } = run([ASHARE, CROSS], events);
    // Day 2 has no event after either close instant, so only day 1 closes are due.
    expect(closes.map((c) => `${c.indexId}@${c.tradingDate}`)).toEqual([`A@${day1}`, `X@${day1}`]);
    const more = run(
      [ASHARE, CROSS],
      [...events, { kind: 'session', phase: 'close', tradingDate: day2, eventTime: at(day2, '16:10:00') }],
    );
    expect(more.closes.map((c) => `${c.indexId}@${c.tradingDate}`)).toEqual([
      `A@${day1}`,
      `X@${day1}`,
      `A@${day2}`,
      `X@${day2}`,
    ]);
    const a2 = more.closes[2]!;
    expect(a2.prevClose).toBe(more.closes[0]!.level);
    expect(a2.level).toBe(lastLevelAtOrBefore(levels, 'A', at(day2, '15:00:00')).level.toFixed(24));
    // Day contributions add up to the day's change (up to one rounding unit per constituent).
    const sum = a2.constituents.reduce((s, c) => s.plus(c.dayContribution!), new Dec(0));
    expect(sum.minus(new Dec(a2.level).minus(a2.prevClose!)).abs().lte('2e-24')).toBe(true);
    // The reference is day 1's official close price (10.10), not the 15:05 after-hours print.
    const sh = a2.constituents.find((c) => c.symbol === '600000.SH')!;
    expect(new Dec(sh.dayContribution!).toFixed(20)).toBe(
      new Dec('10.30').minus('10.10').times(1000).div(a2.divisor).toFixed(20),
    );
  });

  it('emits no close for a date on which the index published no level', () => {
    const { closes } = run(
      [ASHARE],
      [
        tick(day1, '09:25:00', '000001.SZ', '11.00'),
        tick(day1, '09:25:00', '600000.SH', '10.00'),
        // Day 2: only an HK print, which A does not hold.
        tick(day2, '09:25:00', '0700.HK', '1'),
        tick(day2, '16:00:00', '0700.HK', '2'),
      ],
    );
    expect(closes.map((c) => c.tradingDate)).toEqual([day1]);
  });

  it('takes an explicit close time and refuses a malformed one, naming it', () => {
    const early: IndexDefinition = { ...ASHARE, close: { time: '11:30' } };
    const { closes } = run([early], events);
    expect(closes[0]).toMatchObject({ tradingDate: day1, closeTime: at(day1, '11:30:00') });
    expect(closes[0]!.constituents.find((c) => c.symbol === '600000.SH')!.price).toBe('10');
    expect(() => new IndexEngine([{ ...ASHARE, close: { time: '25:00' } }])).toThrow(IndexDefinitionError);
    expect(() => new IndexEngine([{ ...ASHARE, close: { time: '25:00' } }])).toThrow(
      /close\.time was "25:00"/,
    );
  });

  it('neither repeats nor skips a close across a snapshot and restore at any point', () => {
    const definitions = [ASHARE, { ...CROSS, close: { fxFixingSource: 'FIX' } }];
    const stream = [
      ...events.slice(0, 8),
      fx(day1, '16:05:00', '0.9200', 'FIX'),
      ...events.slice(8),
      { kind: 'session', phase: 'close', tradingDate: day2, eventTime: at(day2, '16:10:00') } as IndexEvent,
    ];
    const whole = run(definitions, stream).closes;
    expect(whole).toHaveLength(4);
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const first = run(definitions, stream.slice(0, cut));
      const snapshot = JSON.parse(JSON.stringify(first.engine.snapshot()));
      const restored = IndexEngine.restore(definitions, snapshot);
      const after: OfficialClose[] = [];
      for (const event of stream.slice(cut)) after.push(...(restored.apply(event).closes ?? []));
      expect([...first.closes, ...after], `cut at ${cut}`).toEqual(whole);
    }
  });
});

describe('official close instants from the market calendar', () => {
  const HK_ONLY: IndexDefinition = {
    id: 'H',
    divisor: '1',
    constituents: [{ symbol: '0700.HK', shares: '1' }],
  };
  /** Each index's close instant on `date`, from a morning print and a print on the next day. */
  function closeTimes(date: string, next: string) {
    const { closes } = run(
      [ASHARE, CROSS, HK_ONLY],
      [
        fx(date, '09:00:00', '0.9230'),
        tick(date, '09:25:00', '000001.SZ', '11.00'),
        tick(date, '09:25:00', '600000.SH', '10.00'),
        tick(date, '09:30:00', '0700.HK', '400.00'),
        tick(next, '09:30:00', '0700.HK', '401.00'),
      ],
    );
    return Object.fromEntries(closes.map((c) => [c.indexId, c.closeTime]));
  }

  it('closes an HK index after the half-day closing auction on Christmas Eve, a cross index after SSE', () => {
    expect(closeTimes('2025-12-24', '2025-12-29')).toEqual({
      A: at('2025-12-24', '15:00:00'),
      X: at('2025-12-24', '15:00:00'),
      H: at('2025-12-24', '12:10:00'),
    });
  });

  it('closes a cross index after HK on a full day, and after SSE alone when HK is closed', () => {
    expect(closeTimes('2025-12-23', '2025-12-24')).toMatchObject({ X: at('2025-12-23', '16:10:00') });
    expect(closeTimes('2025-04-18', '2025-04-22')).toEqual({
      A: at('2025-04-18', '15:00:00'),
      X: at('2025-04-18', '15:00:00'),
      H: at('2025-04-18', '16:10:00'),
    });
  });

  it('takes the close of a calendar given in the engine options', () => {
    const year = validateCalendarYear({ year: 2025, hk: { holidays: [], halfDays: ['2025-03-20'] } }, 'test');
    const engine = new IndexEngine([HK_ONLY], { calendar: new MarketCalendar([year]) });
    engine.apply(fx('2025-03-20', '09:00:00', '0.9230'));
    engine.apply(tick('2025-03-20', '09:30:00', '0700.HK', '400.00'));
    const closes = engine.apply(tick('2025-03-20', '12:30:00', '0700.HK', '401.00')).closes ?? [];
    expect(closes.map((c) => c.closeTime)).toEqual([at('2025-03-20', '12:10:00')]);
  });
});
