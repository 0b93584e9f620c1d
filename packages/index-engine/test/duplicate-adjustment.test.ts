import { describe, expect, it } from 'vitest';
import { IndexEngine } from '../src/engine/index-engine.js';
import type { IndexAdjustmentEvent } from '../src/events/index-event.js';

const DEFINITIONS = [
  {
    id: 'X',
    initialLevel: '1000',
    constituents: [
      { symbol: '600000.SH', shares: '100' },
      { symbol: '600001.SH', shares: '100' },
    ],
  },
];
const T = Date.parse('2025-03-20T09:30:00+08:00');
const MIDNIGHT = Date.parse('2025-03-21T00:00:00+08:00');

const split = (adjustmentId?: string): IndexAdjustmentEvent => ({
  kind: 'index-adjustment',
  eventTime: MIDNIGHT,
  effectiveDate: '2025-03-21',
  actions: [{ type: 'split', symbol: '600000.SH', ratio: '2' }],
  ...(adjustmentId === undefined ? {} : { adjustmentId }),
});

function priced(): IndexEngine {
  const engine = new IndexEngine(DEFINITIONS);
  engine.apply({ kind: 'tick', eventTime: T, symbol: '600000.SH', price: '10' });
  engine.apply({ kind: 'tick', eventTime: T, symbol: '600001.SH', price: '20' });
  return engine;
}

const sharesOf = (engine: IndexEngine) =>
  engine
    .describeIndex('X')!
    .constituents.find((c) => c.symbol === '600000.SH')!
    .indexShares.toFixed();

describe('adjustment ids', () => {
  it('applies a re-delivered adjustment once, also across a snapshot, and names the id', () => {
    const engine = priced();
    expect(engine.apply(split('*:2025-03-21')).rejections).toEqual([]);
    const restored = IndexEngine.restore(DEFINITIONS, JSON.parse(JSON.stringify(engine.snapshot())));
    for (const e of [engine, restored]) {
      const again = e.apply(split('*:2025-03-21'));
      expect(again.levels).toEqual([]);
      expect(again.rejections).toEqual([
        expect.objectContaining({ reason: 'duplicate_adjustment', value: '*:2025-03-21' }),
      ]);
      expect(sharesOf(e)).toBe('200');
    }
  });

  it('applies a second adjustment with another id, and ones without an id as given (the replay)', () => {
    const engine = priced();
    engine.apply(split('a'));
    engine.apply(split('b'));
    expect(sharesOf(engine)).toBe('400');
    const replay = priced();
    replay.apply(split());
    replay.apply(split());
    expect(sharesOf(replay)).toBe('400');
  });
});
