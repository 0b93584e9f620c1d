import type { IndexEvent } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import type { SourcedEvent } from '../ports.js';
import { EventMerge, type MergeEntry } from './event-merge.js';

const TICKS = 'ticks';
const ADJ = 'adjustments';
const TICK_RANK = 3;

function sourced(topic: string, partition: number, offset: number, event: IndexEvent): MergeEntry {
  const withPosition = { ...event, position: { source: `${topic}:${partition}`, offset } } as IndexEvent;
  const entry: SourcedEvent = {
    event: withPosition,
    topic,
    partition,
    offset: String(offset),
    key: null,
    value: null,
    receivedAt: 0,
  };
  return { offset: BigInt(offset), event: entry };
}

const tick = (partition: number, offset: number, eventTime: number, symbol = `S${partition}`) =>
  sourced(TICKS, partition, offset, { kind: 'tick', symbol, price: '1', eventTime });

const adjustment = (offset: number, eventTime: number) =>
  sourced(ADJ, 0, offset, { kind: 'index-adjustment', effectiveDate: 'D', actions: [], eventTime });

const mark = (offset: number, time: number, final = false): MergeEntry => ({
  offset: BigInt(offset),
  watermark: { time, rank: TICK_RANK, final },
});

const batch = (lastOffset: number, highWatermark: bigint) => ({
  lastOffset: BigInt(lastOffset),
  highWatermark,
});

/** Two tick partitions and the adjustments partition, all empty on the broker at time 0. */
function threePartitions(staleAfterMs = 10_000): EventMerge {
  const merge = new EventMerge({
    ordering: 'canonical',
    idleTimeoutMs: 200,
    staleAfterMs,
    startOffsets: null,
  });
  merge.assign(
    [
      { topic: TICKS, partition: 0, position: 0n, highWatermark: 0n },
      { topic: TICKS, partition: 1, position: 0n, highWatermark: 0n },
      { topic: ADJ, partition: 0, position: 0n, highWatermark: 0n, scheduled: true },
    ],
    0,
  );
  return merge;
}

const released = (merge: EventMerge, now: number) =>
  merge.release(1000, now).events.map((e) => `${e.topic}:${e.partition}@${e.event.eventTime}`);

describe('EventMerge with producer watermarks', () => {
  it('keeps an adjustment imported days early until the tick partitions pass its instant', () => {
    const merge = threePartitions();
    merge.accept(`${ADJ}:0`, [adjustment(0, 5_000)], batch(0, 1n), 0);
    // Every tick partition is empty and long idle: nothing proves the market reached 5 000.
    expect(released(merge, 60_000)).toEqual([]);
    merge.accept(`${TICKS}:0`, [mark(0, 1_000), tick(0, 1, 1_000), tick(0, 2, 6_000)], batch(2, 3n), 60_000);
    merge.accept(`${TICKS}:1`, [mark(0, 1_000), tick(1, 1, 2_000), mark(2, 7_000)], batch(2, 3n), 60_000);
    expect(released(merge, 60_000)).toEqual([
      `${TICKS}:0@1000`,
      `${TICKS}:1@2000`,
      `${ADJ}:0@5000`,
      `${TICKS}:0@6000`,
    ]);
  });

  it('does not let a silent adjustments partition hold ticks back', () => {
    const merge = threePartitions();
    merge.accept(`${TICKS}:0`, [mark(0, 1_000), tick(0, 1, 1_000)], batch(1, 2n), 0);
    merge.accept(`${TICKS}:1`, [mark(0, 2_000)], batch(0, 1n), 0);
    expect(released(merge, 1)).toEqual([`${TICKS}:0@1000`]);
  });

  it('holds at a final watermark however long the producer is away, so the next run cannot race', () => {
    const merge = threePartitions(1_000);
    merge.accept(`${TICKS}:0`, [mark(0, 0), tick(0, 1, 1_000), mark(2, 10_000, true)], batch(2, 3n), 0);
    merge.accept(`${TICKS}:1`, [mark(0, 0), tick(1, 1, 2_000), mark(2, 10_000, true)], batch(2, 3n), 0);
    expect(released(merge, 0)).toEqual([`${TICKS}:0@1000`, `${TICKS}:1@2000`]);
    // An hour later the next day's run starts; partition 0 is fetched first.
    merge.accept(`${TICKS}:0`, [tick(0, 3, 12_000)], batch(3, 4n), 3_600_000);
    expect(released(merge, 3_600_000 + 5_000)).toEqual([]);
    merge.accept(`${TICKS}:1`, [tick(1, 3, 11_000), mark(4, 13_000)], batch(4, 5n), 3_600_000 + 5_000);
    expect(released(merge, 3_600_000 + 5_000)).toEqual([`${TICKS}:1@11000`, `${TICKS}:0@12000`]);
  });

  it('declares a producer that went silent without a final watermark stale after staleAfterMs, once', () => {
    const stale: string[] = [];
    const merge = new EventMerge({
      ordering: 'canonical',
      idleTimeoutMs: 200,
      staleAfterMs: 1_000,
      startOffsets: null,
      onStale: (key, watermark) => stale.push(`${key}@${watermark}`),
    });
    merge.assign(
      [
        { topic: TICKS, partition: 0, position: 0n, highWatermark: 0n },
        { topic: TICKS, partition: 1, position: 0n, highWatermark: 0n },
      ],
      0,
    );
    merge.accept(`${TICKS}:0`, [mark(0, 1_000), tick(0, 1, 1_000), tick(0, 2, 3_000)], batch(2, 3n), 0);
    merge.accept(`${TICKS}:1`, [mark(0, 2_000)], batch(0, 1n), 0);
    // Past the 200 ms idle timeout of producers that state no progress, it still holds.
    expect(released(merge, 500)).toEqual([`${TICKS}:0@1000`]);
    expect(merge.nextIdleAt(500)).toBe(1_000);
    expect(released(merge, 1_000)).toEqual([`${TICKS}:0@3000`]);
    expect(released(merge, 2_000)).toEqual([]);
    expect(stale).toEqual([`${TICKS}:1@2000`]);
  });

  it('breaks a tie at the watermark time as compareEvents does: an adjustment before the ticks of its instant', () => {
    const merge = threePartitions();
    merge.accept(`${ADJ}:0`, [adjustment(0, 10_000)], batch(0, 1n), 0);
    merge.accept(`${TICKS}:0`, [mark(0, 10_000, true)], batch(0, 1n), 0);
    merge.accept(`${TICKS}:1`, [mark(0, 10_000, true)], batch(0, 1n), 0);
    expect(released(merge, 0)).toEqual([`${ADJ}:0@10000`]);
  });

  it('moves offsets past watermark records so they are committed with the events around them', () => {
    const merge = threePartitions();
    merge.accept(`${TICKS}:0`, [mark(0, 1_000), tick(0, 1, 1_000), mark(2, 5_000)], batch(2, 3n), 0);
    merge.accept(`${TICKS}:1`, [mark(0, 5_000)], batch(0, 1n), 0);
    released(merge, 0);
    expect(merge.nextOffsets()).toMatchObject({ [`${TICKS}:0`]: '3', [`${TICKS}:1`]: '1' });
  });

  it('orders ticks of one instant by symbol across partitions, even when a heartbeat arrived at that instant', () => {
    const merge = threePartitions();
    // Partition 1 has promised 01:45 (a heartbeat mid-instant) and still owes 9618.HK at 01:45.
    merge.accept(`${TICKS}:1`, [mark(0, 6_300)], batch(0, 1n), 0);
    merge.accept(`${TICKS}:0`, [mark(0, 6_300), tick(0, 1, 6_300, '9698.HK')], batch(1, 2n), 0);
    expect(released(merge, 0)).toEqual([]);
    merge.accept(`${TICKS}:1`, [tick(1, 1, 6_300, '9618.HK'), mark(2, 6_400)], batch(2, 3n), 0);
    expect(released(merge, 0)).toEqual([`${TICKS}:1@6300`, `${TICKS}:0@6300`]);
    expect(merge.release(10, 0).events).toEqual([]);
  });

  it('releases a tick whose symbol sorts before everything a partition can still send at that instant', () => {
    const merge = threePartitions();
    merge.accept(`${TICKS}:1`, [mark(0, 6_000), tick(1, 1, 6_300, '9988.HK')], batch(1, 2n), 0);
    merge.accept(`${TICKS}:0`, [mark(0, 6_000), tick(0, 1, 6_300, '0700.HK')], batch(1, 2n), 0);
    expect(released(merge, 0)).toEqual([`${TICKS}:0@6300`]);
  });

  it('waits for a partition that has sent nothing yet once the producers are seen to write watermarks', () => {
    const merge = threePartitions(10_000);
    // The calculator has been idle for a minute when the replay starts; partition 1's first
    // records are decoded a moment after partition 0's.
    merge.accept(`${TICKS}:0`, [mark(0, 1_000), tick(0, 1, 5_000)], batch(1, 2n), 60_000);
    expect(released(merge, 60_500)).toEqual([]);
    merge.accept(`${TICKS}:1`, [mark(0, 1_000), tick(1, 1, 2_000), mark(2, 9_000)], batch(2, 3n), 60_600);
    expect(released(merge, 60_600)).toEqual([`${TICKS}:1@2000`, `${TICKS}:0@5000`]);
  });
});
