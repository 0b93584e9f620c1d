import type { IndexEvent } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import type { SourcedEvent } from '../ports.js';
import { EventMerge, type MergeEntry } from './event-merge.js';

const RAW = 'fx.raw';
const FX_RANK = 2;

function quote(partition: number, offset: number, eventTime: number): MergeEntry {
  const event: IndexEvent = {
    kind: 'fx-rate',
    pair: `P${partition}`,
    rate: '1',
    eventTime,
    position: { source: `${RAW}:${partition}`, offset },
  };
  const entry: SourcedEvent = {
    event,
    topic: RAW,
    partition,
    offset: String(offset),
    key: null,
    value: null,
    receivedAt: 0,
  };
  return { offset: BigInt(offset), event: entry };
}

const mark = (offset: number, time: number, final = false): MergeEntry => ({
  offset: BigInt(offset),
  watermark: { time, rank: FX_RANK, final },
});

const upTo = (lastOffset: number) => ({
  lastOffset: BigInt(lastOffset),
  highWatermark: BigInt(lastOffset + 1),
});

function rawPartitions(count: number): EventMerge {
  const merge = new EventMerge({ ordering: 'canonical', idleTimeoutMs: 200, startOffsets: null });
  merge.assign(
    Array.from({ length: count }, (_, partition) => ({
      topic: RAW,
      partition,
      position: 0n,
      highWatermark: 0n,
    })),
    0,
  );
  return merge;
}

describe('EventMerge input watermark', () => {
  it('is the watermark record the released output has passed, not one behind a held event', () => {
    const merge = rawPartitions(1);
    expect(merge.inputWatermark()).toBeUndefined();
    merge.accept(`${RAW}:0`, [quote(0, 0, 100), mark(1, 200), quote(0, 2, 300), mark(3, 400)], upTo(3), 0);
    // Nothing released yet: the quotes before both watermark records are still in the buffer.
    expect(merge.inputWatermark()).toBeUndefined();
    expect(merge.release(1, 0).events).toHaveLength(1);
    expect(merge.inputWatermark()).toEqual({ time: 200, final: false, records: { [`${RAW}:0`]: '1' } });
    merge.release(10, 0);
    expect(merge.inputWatermark()).toEqual({ time: 400, final: false, records: { [`${RAW}:0`]: '3' } });
  });

  it('is the lowest over the partitions, and only once each has passed one', () => {
    const merge = rawPartitions(2);
    merge.accept(`${RAW}:0`, [mark(0, 500)], upTo(0), 0);
    expect(merge.inputWatermark()).toBeUndefined();
    merge.accept(`${RAW}:1`, [mark(0, 300), quote(1, 1, 350), mark(2, 600, true)], upTo(2), 0);
    merge.release(10, 0);
    expect(merge.inputWatermark()).toEqual({
      time: 500,
      final: false,
      records: { [`${RAW}:0`]: '0', [`${RAW}:1`]: '2' },
    });
  });

  it('is final only while every partition ended on a final watermark with nothing after it', () => {
    const merge = rawPartitions(1);
    merge.accept(`${RAW}:0`, [quote(0, 0, 100), mark(1, 200, true)], upTo(1), 0);
    merge.release(10, 0);
    expect(merge.inputWatermark()?.final).toBe(true);
    merge.accept(`${RAW}:0`, [quote(0, 2, 300)], upTo(2), 0);
    expect(merge.inputWatermark()).toEqual({ time: 200, final: false, records: { [`${RAW}:0`]: '1' } });
  });
});
