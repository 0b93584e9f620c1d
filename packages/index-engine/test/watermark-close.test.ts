// A close taken when the input's watermark passes its instant, on a feed that goes quiet after
// the close: the same close, from the same state, that the next event would take.
import { describe, expect, it } from 'vitest';
import type { OfficialClose } from '../src/engine/official-close.js';
import type { IndexEvent } from '../src/events/index-event.js';
import { IndexEngine } from '../src/index.js';
import type { IndexDefinition } from '../src/index-definition.js';

const at = (time: string) => Date.parse(`2025-03-20T${time}+08:00`);
const tick = (time: string, symbol: string, price: string): IndexEvent => ({
  kind: 'tick',
  eventTime: at(time),
  symbol,
  price,
});
const ASHARE: IndexDefinition = {
  id: 'A',
  initialLevel: '1000',
  constituents: [
    { symbol: '600000.SH', shares: '1000' },
    { symbol: '000001.SZ', shares: '3000' },
  ],
};
const DAY: IndexEvent[] = [
  tick('09:25:00', '000001.SZ', '11.00'),
  tick('09:25:00', '600000.SH', '10.00'),
  tick('14:59:57', '600000.SH', '10.10'),
  tick('15:00:00', '000001.SZ', '11.11'),
];

function engineAfter(events: IndexEvent[]): IndexEngine {
  const engine = new IndexEngine([ASHARE]);
  for (const event of events) engine.apply(event);
  return engine;
}

describe('IndexEngine.advanceWatermark', () => {
  it('takes no close while an event at the close instant may still come', () => {
    const engine = engineAfter(DAY);
    expect(engine.advanceWatermark(at('14:00:00')).closes).toBeUndefined();
    // A watermark at 15:00:00 still allows an event at 15:00:00, which belongs to the close.
    expect(engine.advanceWatermark(at('15:00:00')).closes).toBeUndefined();
  });

  it('takes the close once the watermark is past its instant, equal to the one the next event takes', () => {
    const quiet = engineAfter(DAY);
    const byWatermark = quiet.advanceWatermark(at('15:00:00') + 1);
    expect(byWatermark.levels).toEqual([]);
    expect(byWatermark.closes).toHaveLength(1);

    const busy = engineAfter(DAY);
    const byEvent = busy.apply(tick('15:05:00', '600000.SH', '10.12')).closes as OfficialClose[];
    expect(byWatermark.closes).toEqual(byEvent);
    // 1000 × (10.10 × 1000 + 11.11 × 3000) / (10.00 × 1000 + 11.00 × 3000) = 1000 × 43430 / 43000.
    expect(byEvent[0]!.level).toBe('1010.000000000000000000000000');
  });

  it('never takes the same close twice, by watermark or by a later event', () => {
    const engine = engineAfter(DAY);
    expect(engine.advanceWatermark(at('16:00:00')).closes).toHaveLength(1);
    expect(engine.advanceWatermark(at('17:00:00')).closes).toBeUndefined();
    expect(engine.apply(tick('15:05:00', '600000.SH', '10.12')).closes).toBeUndefined();
    const next = engine.apply(tick('09:25:00', '600000.SH', '10.20'));
    expect(next.closes).toBeUndefined();
  });

  it('survives a snapshot: a restored engine does not take the close again', () => {
    const engine = engineAfter(DAY);
    engine.advanceWatermark(at('15:30:00'));
    const restored = IndexEngine.restore([ASHARE], JSON.parse(JSON.stringify(engine.snapshot())));
    expect(restored.advanceWatermark(at('16:00:00')).closes).toBeUndefined();
  });
});
