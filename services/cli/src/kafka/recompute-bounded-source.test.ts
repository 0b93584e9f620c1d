import type { IndexEvent } from '@indexflow/index-engine';
import type { EventBatch, EventSource, InputOffsets } from '@indexflow/pipeline';
import { describe, expect, it } from 'vitest';
import { BoundedEventSource } from './recompute-bounded-source.js';
import { levelInWindow } from './recompute-window.js';

const tick = (eventTime: number): IndexEvent => ({
  kind: 'tick',
  eventTime,
  symbol: '600000.SH',
  price: '10',
});

/** A source that returns the given batches one by one, then empty batches at the last offsets. */
function scripted(batches: { times: number[]; nextOffsets: InputOffsets }[]): EventSource {
  let i = 0;
  let last: InputOffsets = {};
  return {
    async start() {},
    async nextBatch(): Promise<EventBatch> {
      const batch = batches[i++];
      if (batch === undefined) return { events: [], undecodable: [], nextOffsets: last };
      last = batch.nextOffsets;
      return {
        events: batch.times.map((t, n) => ({
          event: tick(t),
          topic: 't',
          partition: 0,
          offset: String(n),
          key: null,
          value: null,
          receivedAt: 0,
        })),
        undecodable: [],
        nextOffsets: batch.nextOffsets,
      };
    },
    async close() {},
  };
}

const bounds = { startOffsets: { 't:0': '0', 'u:0': '0' }, endOffsets: { 't:0': '10', 'u:0': '4' } };

describe('BoundedEventSource', () => {
  it('is done once an event at or after --to is released, even with input left in the partitions', async () => {
    const source = new BoundedEventSource(
      scripted([
        { times: [100, 200], nextOffsets: { 't:0': '2', 'u:0': '0' } },
        { times: [299, 300], nextOffsets: { 't:0': '4', 'u:0': '0' } },
      ]),
      { from: 150, to: 300, ...bounds },
    );
    await source.nextBatch(10, 0);
    expect(source.done).toBe(false);
    await source.nextBatch(10, 0);
    expect(source.done).toBe(true);
    expect(source.counts).toEqual({ stateEvents: 1, windowEvents: 2 });
    expect(source.recordsRead).toBe(4);
  });

  it('without --to, is done only when every partition reached its high watermark of the start', async () => {
    const source = new BoundedEventSource(
      scripted([
        { times: [100, 5_000], nextOffsets: { 't:0': '10', 'u:0': '3' } },
        { times: [6_000], nextOffsets: { 't:0': '10', 'u:0': '4' } },
      ]),
      { from: 150, to: null, ...bounds },
    );
    await source.nextBatch(10, 0);
    expect(source.done).toBe(false);
    await source.nextBatch(10, 0);
    expect(source.done).toBe(true);
    expect(source.latestEventTime).toBe(6_000);
  });

  it('is done at once when the input is empty', () => {
    const source = new BoundedEventSource(scripted([]), {
      from: 0,
      to: null,
      startOffsets: { 't:0': '0' },
      endOffsets: { 't:0': '0' },
    });
    expect(source.done).toBe(true);
  });
});

describe('levelInWindow', () => {
  const window = { from: 100, to: 200, indexIds: new Set(['A']) };

  it('keeps levels with from ≤ eventTime < to of the chosen indices only', () => {
    expect(levelInWindow(window, { indexId: 'A', eventTime: 100 })).toBe(true);
    expect(levelInWindow(window, { indexId: 'A', eventTime: 199 })).toBe(true);
    expect(levelInWindow(window, { indexId: 'A', eventTime: 99 })).toBe(false);
    expect(levelInWindow(window, { indexId: 'A', eventTime: 200 })).toBe(false);
    expect(levelInWindow(window, { indexId: 'B', eventTime: 150 })).toBe(false);
    expect(levelInWindow({ from: 100, to: null, indexIds: null }, { indexId: 'B', eventTime: 1e15 })).toBe(
      true,
    );
  });
});
