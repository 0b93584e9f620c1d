import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CorporateAction,
  createIndexEngine,
  Dec,
  formatFixed,
  type IndexDefinition,
  IndexEngine,
  type IndexEvent,
  type IndexLevel,
} from '../src/index.js';

const SYMBOLS = ['600000.SH', '600519.SH', '000001.SZ', '300750.SZ', '0700.HK', '9988.HK'];
const START = Date.parse('2025-03-20T09:30:00+08:00');

const definitions: IndexDefinition[] = [
  {
    id: 'MIX',
    initialLevel: '1000',
    totalReturn: { withholdingRate: '0.1' },
    constituents: SYMBOLS.map((symbol, i) => ({ symbol, shares: String(1000 * (i + 1)) })),
  },
  {
    id: 'ASH',
    divisor: '12345.678',
    referencePriceRounding: 'exchange',
    constituents: SYMBOLS.slice(0, 4).map((symbol, i) => ({ symbol, shares: `${500 + i}.25` })),
  },
];

const price = fc.integer({ min: 100, max: 99_999 }).map((cents) => (cents / 100).toFixed(2));
const tick = fc.record({ kind: fc.constant('tick' as const), symbol: fc.constantFrom(...SYMBOLS), price });
const fx = fc.record({
  kind: fc.constant('fx-rate' as const),
  rate: fc.integer({ min: 8500, max: 9500 }).map((x) => (x / 10000).toFixed(4)),
});
const action: fc.Arbitrary<CorporateAction> = fc.oneof(
  fc.record({
    type: fc.constant('split' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    ratio: fc.constantFrom('2', '3', '0.5'),
  }),
  fc.record({
    type: fc.constant('bonus' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    ratio: fc.constantFrom('0.3', '0.4', '1'),
  }),
  fc.record({
    type: fc.constant('rights' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    ratio: fc.constantFrom('0.3', '0.2'),
    price: fc.constantFrom('1.11', '3.00'),
  }),
  fc.record({
    type: fc.constant('cash_dividend' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    amount: fc.constantFrom('0.05', '0.30'),
  }),
  fc.record({
    type: fc.constant('special_dividend' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    amount: fc.constantFrom('0.07', '0.20'),
  }),
  fc.record({
    type: fc.constant('shares_change' as const),
    symbol: fc.constantFrom(...SYMBOLS),
    shares: fc.integer({ min: 1, max: 10_000 }).map(String),
  }),
);
const step = fc.oneof(
  { weight: 8, arbitrary: tick },
  { weight: 1, arbitrary: fx },
  { weight: 1, arbitrary: fc.array(action, { minLength: 1, maxLength: 3 }) },
);

type Step =
  fc.Arbitrary<typeof step extends fc.Arbitrary<infer T> ? T : never> extends fc.Arbitrary<infer U>
    ? U
    : never;

/** Turns generated steps into timed events: each action batch opens a new trading date first. */
function toEvents(steps: Step[]): IndexEvent[] {
  const opening: IndexEvent[] = [{ kind: 'fx-rate', pair: 'HKDCNY', rate: '0.92', eventTime: START }];
  SYMBOLS.forEach((symbol, i) => {
    opening.push({ kind: 'tick', symbol, price: `${10 + i}.00`, eventTime: START + 1 });
  });
  let time = START + 2;
  let day = 0;
  const events = opening;
  for (const s of steps) {
    if (Array.isArray(s)) {
      day += 1;
      const date = new Date(Date.parse('2025-03-20T00:00:00+08:00') + day * 86_400_000);
      const tradingDate = date.toISOString().slice(0, 10);
      time = Date.parse(`${tradingDate}T00:00:00+08:00`) + 8 * 3_600_000;
      events.push({ kind: 'session', phase: 'open', tradingDate, eventTime: time });
      events.push({ kind: 'index-adjustment', effectiveDate: tradingDate, actions: s, eventTime: time });
    } else if (s.kind === 'tick') {
      time += 1000;
      events.push({ ...s, eventTime: time });
    } else {
      time += 1000;
      events.push({ kind: 'fx-rate', pair: 'HKDCNY', rate: s.rate, eventTime: time });
    }
  }
  return events;
}

const serialise = (l: IndexLevel) =>
  [
    l.indexId,
    l.sequence,
    l.eventTime,
    formatFixed(l.level, 12),
    l.divisor.toFixed(),
    l.totalReturnLevel?.toFixed() ?? '',
  ].join(',');

describe('engine properties', () => {
  it('the running market value always equals a full recomputation, exactly', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const engine = createIndexEngine(definitions);
        for (const event of toEvents(steps)) {
          const { levels } = engine.apply(event);
          const lastPerIndex = new Map(levels.map((l) => [l.indexId, l]));
          for (const level of lastPerIndex.values()) {
            const full = engine.fullRecomputeLevel(level.indexId)!;
            // Levels are published to 24 decimal places, rounded half-even (was: 34 significant digits).
            expect(full.toDecimalPlaces(24, Dec.ROUND_HALF_EVEN).eq(level.level)).toBe(true);
          }
          expect(engine.verifyMarketValues()).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every corporate action except a regular cash dividend keeps the level continuous', () => {
    fc.assert(
      fc.property(fc.array(tick, { minLength: 1, maxLength: 10 }), action, (ticks, act) => {
        const engine = createIndexEngine(definitions);
        const events = toEvents(ticks);
        const last = new Map<string, Dec>();
        for (const event of events) for (const l of engine.apply(event).levels) last.set(l.indexId, l.level);
        const t = Date.parse('2025-03-21T00:00:00+08:00');
        engine.apply({ kind: 'session', phase: 'open', tradingDate: '2025-03-21', eventTime: t });
        const { levels, rejections } = engine.apply({
          kind: 'index-adjustment',
          effectiveDate: '2025-03-21',
          actions: [act],
          eventTime: t,
        });
        expect(rejections).toEqual([]);
        expect(levels.length).toBeGreaterThan(0);
        for (const level of levels) {
          const before = last.get(level.indexId)!;
          if (act.type === 'cash_dividend') {
            // 除息不修正: a regular dividend is the one action that moves the price level (down).
            expect(level.level.lt(before)).toBe(true);
          } else {
            // Both reference-price options (exact for MIX, 0.01-rounded for ASH) keep the level continuous.
            expect(formatFixed(level.level, 10)).toBe(formatFixed(before, 10));
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the same events give the same output bytes', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const run = () => {
          const engine = createIndexEngine(definitions);
          return toEvents(steps)
            .flatMap((e) => engine.apply(e).levels)
            .map(serialise)
            .join('\n');
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 50 },
    );
  });

  it('a cash dividend lowers the price level by its index points and the total-return level not at all', () => {
    const engine = createIndexEngine(definitions);
    for (const event of toEvents([])) engine.apply(event);
    const before = engine.describeIndex('MIX')!;
    const t = Date.parse('2025-03-21T00:00:00+08:00');
    engine.apply({ kind: 'session', phase: 'open', tradingDate: '2025-03-21', eventTime: t });
    const { levels } = engine.apply({
      kind: 'index-adjustment',
      effectiveDate: '2025-03-21',
      actions: [{ type: 'cash_dividend', symbol: '600000.SH', amount: '0.30' }],
      eventTime: t,
    });
    const mix = levels.find((l) => l.indexId === 'MIX')!;
    const points = new Dec('0.30').times(1000).div(before.divisor!);
    expect(formatFixed(before.level!.minus(mix.level), 20)).toBe(formatFixed(points, 20));
    expect(formatFixed(mix.totalReturnLevel!, 20)).toBe(formatFixed(before.level!, 20));
  });

  it('a snapshot restored into a new engine continues exactly like the uninterrupted one', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 50 }), fc.nat(), (steps, cutSeed) => {
        const events = toEvents(steps);
        const cut = cutSeed % (events.length + 1);
        const whole = createIndexEngine(definitions);
        const expected = events.flatMap((e) => whole.apply(e).levels).map(serialise);
        const first = createIndexEngine(definitions);
        const head = events.slice(0, cut).flatMap((e) => first.apply(e).levels);
        const json = JSON.parse(JSON.stringify(first.snapshot()));
        const second = IndexEngine.restore(definitions, json);
        const tail = events.slice(cut).flatMap((e) => second.apply(e).levels);
        expect([...head, ...tail].map(serialise)).toEqual(expected);
        expect(second.verifyMarketValues()).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
