import { describe, expect, it } from 'vitest';
import type { CorporateAction } from '../src/corporate-actions/corporate-action.js';
import { IndexEngine } from '../src/engine/index-engine.js';
import type { IndexEvent } from '../src/events/index-event.js';
import type { IndexLevel } from '../src/index-level.js';

// A and B share 600000.SH; 600002.SH trades but is in no index yet (a later add finds its price).
const DEFINITIONS = [
  {
    id: 'A',
    initialLevel: '1000',
    constituents: [
      { symbol: '600000.SH', shares: '100' },
      { symbol: '600001.SH', shares: '100' },
    ],
  },
  {
    id: 'B',
    initialLevel: '1000',
    constituents: [
      { symbol: '600000.SH', shares: '50' },
      { symbol: '000001.SZ', shares: '300' },
    ],
  },
];
const DAY1 = Date.parse('2025-03-20T09:30:00+08:00');
const EX = Date.parse('2025-03-21T00:00:00+08:00');
const DAY2 = Date.parse('2025-03-21T09:30:00+08:00');

function priced(): IndexEngine {
  const engine = new IndexEngine(DEFINITIONS);
  const prices = { '600000.SH': '10', '600001.SH': '20', '000001.SZ': '5', '600002.SH': '8' };
  for (const [symbol, price] of Object.entries(prices))
    engine.apply({ kind: 'tick', eventTime: DAY1, symbol, price });
  return engine;
}

const adjustment = (actions: CorporateAction[]): IndexEvent => ({
  kind: 'index-adjustment',
  eventTime: EX,
  effectiveDate: '2025-03-21',
  actions,
});

const members = (engine: IndexEngine, id: string) =>
  engine
    .describeIndex(id)!
    .constituents.map((c) => `${c.symbol}×${c.indexShares.toFixed()}`)
    .join(' ');

/** The levels of a day-2 session, so a withheld action that still moved something shows. */
function day2(engine: IndexEngine): string[] {
  const levels: IndexLevel[] = [];
  for (const [symbol, price] of [
    ['600000.SH', '10.5'],
    ['600001.SH', '19'],
    ['000001.SZ', '5.2'],
  ] as const) {
    levels.push(...engine.apply({ kind: 'tick', eventTime: DAY2, symbol, price }).levels);
  }
  return levels.map((l) => `${l.indexId} ${l.level.toFixed()}`);
}

describe('an adjustment is taken whole or not at all by each index', () => {
  it('withholds a rebalance whose add fails, delete included, and still adjusts the other index', () => {
    const engine = priced();
    const untouchedA = priced();
    const result = engine.apply(
      adjustment([
        { type: 'delete', symbol: '600001.SH', indexId: 'A' },
        // Never traded and no reference price: missing_price.
        { type: 'add', symbol: '600009.SH', indexId: 'A', shares: '100' },
        { type: 'shares_change', symbol: '000001.SZ', indexId: 'B', shares: '600' },
      ]),
    );
    expect(result.rejections.map((r) => [r.reason, r.actionIndex])).toEqual([['missing_price', 1]]);
    expect(result.rejections[0]!.detail).toMatch(/A left as before the adjustment of 2025-03-21/);
    expect(members(engine, 'A')).toBe(members(untouchedA, 'A'));
    expect(members(engine, 'B')).toBe('600000.SH×50 000001.SZ×600');
    expect(result.levels.map((l) => l.indexId)).toEqual(['B']);
    const levels = day2(engine);
    const expectedA = day2(untouchedA).filter((l) => l.startsWith('A '));
    expect(levels.filter((l) => l.startsWith('A '))).toEqual(expectedA);
  });

  it('withholds a split of a shared symbol from both indices when one of them is refused', () => {
    const engine = priced();
    const untouched = priced();
    const result = engine.apply(
      adjustment([
        { type: 'split', symbol: '600000.SH', ratio: '2' },
        { type: 'delete', symbol: '600009.SH', indexId: 'A' },
        { type: 'shares_change', symbol: '000001.SZ', indexId: 'B', shares: '600' },
      ]),
    );
    expect(result.rejections.map((r) => r.reason)).toEqual(['unknown_symbol']);
    // The split reaches B too, so B's own change goes with it: both indices are left as they were.
    expect(members(engine, 'A')).toBe(members(untouched, 'A'));
    expect(members(engine, 'B')).toBe(members(untouched, 'B'));
    expect(result.levels).toEqual([]);
    expect(day2(engine)).toEqual(day2(untouched));
  });

  it('keeps a failure that touches no defined index apart from the rest', () => {
    const engine = priced();
    const result = engine.apply(
      adjustment([
        { type: 'add', symbol: '600002.SH', indexId: 'OTHER', shares: '10' },
        { type: 'add', symbol: '600002.SH', indexId: 'A', shares: '100' },
      ]),
    );
    expect(result.rejections.map((r) => [r.reason, r.actionIndex])).toEqual([['unknown_index', 0]]);
    expect(members(engine, 'A')).toBe('600000.SH×100 600001.SH×100 600002.SH×100');
  });

  it('reports every failing action in action order, and a restored engine continues identically', () => {
    const engine = priced();
    const result = engine.apply(
      adjustment([
        { type: 'add', symbol: '600009.SH', indexId: 'B', shares: '1' },
        { type: 'delete', symbol: '600008.SH', indexId: 'A' },
      ]),
    );
    expect(result.rejections.map((r) => r.actionIndex)).toEqual([0, 1]);
    const restored = IndexEngine.restore(DEFINITIONS, JSON.parse(JSON.stringify(engine.snapshot())));
    expect(day2(restored)).toEqual(day2(engine));
  });

  it('applies an adjustment without failures exactly as before, levels per step', () => {
    const engine = priced();
    const result = engine.apply(
      adjustment([
        { type: 'delete', symbol: '600001.SH', indexId: 'A' },
        { type: 'add', symbol: '600002.SH', indexId: 'A', shares: '100' },
      ]),
    );
    expect(result.rejections).toEqual([]);
    expect(result.levels.map((l) => l.indexId)).toEqual(['A', 'A']);
    expect(members(engine, 'A')).toBe('600000.SH×100 600002.SH×100');
  });
});
