// The previous close a level's change is against: the previous official close (never the day's
// last level, which for HK names moves with FX after the close), and on the first day the close
// the definition gives (previousClose, or the base value on the base date).
import { describe, expect, it } from 'vitest';
import { Dec } from '../src/decimal.js';
import type { OfficialClose } from '../src/engine/official-close.js';
import { isCalendarDate } from '../src/engine/previous-close.js';
import type { IndexEvent } from '../src/events/index-event.js';
import {
  IndexDefinitionError,
  IndexEngine,
  type IndexLevel,
  levelChange,
  levelChangeTexts,
  printedLevelChange,
} from '../src/index.js';
import type { IndexDefinition } from '../src/index-definition.js';

const at = (date: string, time: string) => Date.parse(`${date}T${time}+08:00`);
const tick = (date: string, time: string, symbol: string, price: string): IndexEvent => ({
  kind: 'tick',
  eventTime: at(date, time),
  symbol,
  price,
});
const fx = (date: string, time: string, rate: string): IndexEvent => ({
  kind: 'fx-rate',
  eventTime: at(date, time),
  pair: 'HKDCNY',
  rate,
});

const CROSS: IndexDefinition = {
  id: 'X',
  initialLevel: '1000',
  referenceDate: '2025-03-19',
  constituents: [
    { symbol: '600000.SH', shares: '10' },
    { symbol: '0700.HK', shares: '2' },
  ],
};

// Day 1 closes at 16:10 with FX 0.9240; the 16:30 rate moves the last level after the close.
const EVENTS: IndexEvent[] = [
  fx('2025-03-20', '09:00:00', '0.9230'),
  tick('2025-03-20', '09:30:00', '600000.SH', '10.00'),
  tick('2025-03-20', '09:30:00', '0700.HK', '400.00'),
  tick('2025-03-20', '14:00:00', '600000.SH', '10.20'),
  fx('2025-03-20', '16:00:00', '0.9240'),
  fx('2025-03-20', '16:30:00', '0.9100'),
  tick('2025-03-21', '09:31:00', '600000.SH', '10.30'),
  tick('2025-03-21', '16:20:00', '0700.HK', '401.00'),
];

function run(definitions: IndexDefinition[], events: IndexEvent[] = EVENTS) {
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

const onDate = (levels: IndexLevel[], date: string) =>
  levels.filter((l) => new Date(l.eventTime + 8 * 3_600_000).toISOString().startsWith(date));

describe('previous close', () => {
  it('is the previous official close on day 2, not the last level of day 1', () => {
    const { levels, closes } = run([CROSS]);
    const day1Last = onDate(levels, '2025-03-20').at(-1)!;
    const close1 = closes.find((c) => c.tradingDate === '2025-03-20')!;
    // The post-close FX update moved the last level away from the official close.
    expect(day1Last.level.toFixed(24)).not.toBe(close1.level);
    for (const level of onDate(levels, '2025-03-21')) expect(level.prevClose!.toFixed(24)).toBe(close1.level);
    expect(closes.find((c) => c.tradingDate === '2025-03-21')!.prevClose).toBe(close1.level);
  });

  it('is the base value on the first trading date after the base date', () => {
    const { levels, closes } = run([CROSS]);
    for (const level of onDate(levels, '2025-03-20')) expect(level.prevClose!.eq(1000)).toBe(true);
    expect(new Dec(closes[0]!.prevClose!).eq(1000)).toBe(true);
  });

  it('is a given previousClose before the base value, and only after its date', () => {
    const given = { ...CROSS, previousClose: { date: '2025-03-19', level: '998.5' } };
    expect(run([given]).levels[0]!.prevClose!.toFixed()).toBe('998.5');
    const sameDay = { ...CROSS, previousClose: { date: '2025-03-20', level: '998.5' } };
    const { levels, closes } = run([sameDay]);
    expect(levels[0]!.prevClose).toBeNull();
    expect(closes[0]!.prevClose).toBeNull();
    // The engine's own close takes over from the next date.
    expect(onDate(levels, '2025-03-21')[0]!.prevClose!.toFixed(24)).toBe(closes[0]!.level);
  });

  it('is null without a base date or a given close, and with a given divisor', () => {
    const { referenceDate: _, ...noBase } = CROSS;
    expect(run([noBase]).levels[0]!.prevClose).toBeNull();
    const { initialLevel: __, ...divisorOnly } = CROSS;
    expect(run([{ ...divisorOnly, divisor: '10' }]).levels[0]!.prevClose).toBeNull();
  });

  it('survives a snapshot taken on day 1', () => {
    const whole = run([CROSS]);
    const head = run([CROSS], EVENTS.slice(0, 3));
    const restored = IndexEngine.restore([CROSS], JSON.parse(JSON.stringify(head.engine.snapshot())));
    const rest = EVENTS.slice(3).flatMap((e) => restored.apply(e).levels);
    expect([...head.levels, ...rest].map((l) => l.prevClose?.toFixed(24) ?? null)).toEqual(
      whole.levels.map((l) => l.prevClose?.toFixed(24) ?? null),
    );
  });

  it.each([
    [{ previousClose: { date: '2025-02-29', level: '1000' } }, 'previousClose.date'],
    [{ previousClose: { date: '2025-03-19', level: '0' } }, 'previousClose.level'],
    [{ previousClose: { date: '2025-03-19', level: '1e-30' } }, 'previousClose.level'],
    [{ referenceDate: '19/03/2025' }, 'referenceDate'],
  ])('refuses %j at construction, naming %s', (patch, field) => {
    expect(() => new IndexEngine([{ ...CROSS, ...patch } as IndexDefinition])).toThrow(
      expect.objectContaining({ constructor: IndexDefinitionError, field }),
    );
  });

  it('knows calendar dates', () => {
    expect(['2024-02-29', '2025-12-31', '2000-02-29'].every(isCalendarDate)).toBe(true);
    expect(['2025-02-29', '1900-02-29', '2025-13-01', '2025-04-31', '2025-4-1'].some(isCalendarDate)).toBe(
      false,
    );
  });
});

describe('levelChange', () => {
  it('gives the exact change and the percent to 34 significant digits, the same by both paths', () => {
    const change = levelChange(new Dec('1003.5002'), new Dec('1000'))!;
    expect(change.change.toFixed()).toBe('3.5002');
    expect(change.percent!.toFixed()).toBe('0.35002');
    const third = levelChange(new Dec('1001'), new Dec('3'))!;
    expect(third.percent!.toFixed()).toBe('33266.66666666666666666666666666667');
    const scale = 10n ** 24n;
    expect(levelChangeTexts(1001n * scale, 3n * scale)).toEqual({
      change: '998',
      percent: '33266.66666666666666666666666666667',
    });
  });

  it('is null without a previous close, and has no percent on a zero close', () => {
    expect(levelChange(new Dec(1), null)).toBeNull();
    expect(levelChangeTexts(1n, null)).toBeNull();
    expect(levelChange(new Dec(1), new Dec(0))!.percent).toBeNull();
    expect(levelChangeTexts(5n, 0n)!.percent).toBeNull();
  });

  it('prints change to 4 places and % to 2, half up, signed, from the same levelChange', () => {
    expect(printedLevelChange(new Dec('1010.25466967'), new Dec('1000'))).toEqual({
      change: '+10.2547',
      percent: '+1.03%',
    });
    expect(printedLevelChange(new Dec('999.37738727'), new Dec('1000'))).toEqual({
      change: '-0.6226',
      percent: '-0.06%',
    });
    expect(printedLevelChange(new Dec('1000'), new Dec('1000'))).toEqual({
      change: '+0.0000',
      percent: '+0.00%',
    });
    expect(printedLevelChange(new Dec('5'), new Dec('0'))).toEqual({ change: '+5.0000', percent: null });
    expect(printedLevelChange(new Dec('5'), null)).toBeNull();
  });
});
