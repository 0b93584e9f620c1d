import { compareEvents, type IndexEvent } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import type { RejectedRecord, SourcedEvent } from '../ports.js';
import { EventMerge, type EventOrdering, type MergeEntry } from './event-merge.js';

function tickAt(topic: string, partition: number, offset: number, eventTime: number): MergeEntry {
  const event: IndexEvent = {
    kind: 'tick',
    symbol: `S${partition}`,
    price: '1',
    eventTime,
    position: { source: `${topic}:${partition}`, offset },
  };
  const sourced: SourcedEvent = {
    event,
    topic,
    partition,
    offset: String(offset),
    key: null,
    value: null,
    receivedAt: 0,
  };
  return { offset: BigInt(offset), event: sourced };
}

function fxAt(topic: string, offset: number, eventTime: number): MergeEntry {
  const event: IndexEvent = {
    kind: 'fx-rate',
    pair: 'HKDCNY',
    rate: '0.9',
    eventTime,
    position: { source: `${topic}:0`, offset },
  };
  return {
    offset: BigInt(offset),
    event: { event, topic, partition: 0, offset: String(offset), key: null, value: null, receivedAt: 0 },
  };
}

function garbageAt(topic: string, partition: number, offset: number): MergeEntry {
  const rejected: RejectedRecord = {
    topic,
    partition,
    offset: String(offset),
    key: null,
    value: Buffer.from('x'),
    reason: 'undecodable',
    detail: 'bad',
  };
  return { offset: BigInt(offset), rejected };
}

function merge(ordering: EventOrdering = 'canonical', highWatermark = 100n, highWatermark1 = highWatermark) {
  const m = new EventMerge({ ordering, idleTimeoutMs: 200, startOffsets: null });
  m.assign(
    [
      { topic: 't', partition: 0, position: 0n, highWatermark },
      { topic: 't', partition: 1, position: 0n, highWatermark: highWatermark1 },
    ],
    0,
  );
  return m;
}

const batch = (lastOffset: number, highWatermark = 100n) => ({
  lastOffset: BigInt(lastOffset),
  highWatermark,
});
const times = (events: readonly SourcedEvent[]) => events.map((e) => `${e.partition}@${e.event.eventTime}`);

describe('EventMerge (canonical)', () => {
  it('releases only events every other partition has passed, in compareEvents order', () => {
    const m = merge();
    m.accept('t:0', [tickAt('t', 0, 0, 10), tickAt('t', 0, 1, 30), tickAt('t', 0, 2, 50)], batch(2), 1);
    expect(m.release(100, 1).events).toEqual([]);
    expect(m.nextOffsets()).toEqual({ 't:0': '0', 't:1': '0' });

    m.accept('t:1', [tickAt('t', 1, 0, 20), tickAt('t', 1, 1, 40)], batch(1), 2);
    const first = m.release(100, 2).events;
    // 40 < 50, the latest time partition 0 delivered; 50 waits for partition 1 to pass it.
    expect(times(first)).toEqual(['0@10', '1@20', '0@30', '1@40']);
    expect(m.nextOffsets()).toEqual({ 't:0': '2', 't:1': '2' });

    m.accept('t:1', [tickAt('t', 1, 2, 60)], batch(2), 3);
    expect(times(m.release(100, 3).events)).toEqual(['0@50']);
    expect(m.nextOffsets()).toEqual({ 't:0': '3', 't:1': '2' });
  });

  it('gives the same order whatever the arrival interleaving', () => {
    const p0 = [tickAt('t', 0, 0, 5), tickAt('t', 0, 1, 7), tickAt('t', 0, 2, 7), tickAt('t', 0, 3, 12)];
    const p1 = [tickAt('t', 1, 0, 7), tickAt('t', 1, 1, 8), tickAt('t', 1, 2, 12)];
    const all = [...p0, ...p1].map((e) => e.event as SourcedEvent);
    const expected = [...all].sort((a, b) => compareEvents(a.event, b.event));
    for (const split of [1, 2, 3]) {
      const m = merge('canonical', 4n);
      const out: SourcedEvent[] = [];
      m.accept('t:1', p1.slice(0, split), batch(split - 1, 3n), 0);
      out.push(...m.release(100, 0).events);
      m.accept('t:0', p0, batch(3, 4n), 0);
      out.push(...m.release(100, 0).events);
      m.accept('t:1', p1.slice(split), batch(2, 3n), 0);
      out.push(...m.release(100, 0).events);
      // Both caught up; once idle the tail is released.
      out.push(...m.release(100, 1_000).events);
      expect(times(out)).toEqual(times(expected));
    }
  });

  it('breaks equal event times by kind (FX before ticks) and then source', () => {
    const m = new EventMerge({ ordering: 'canonical', idleTimeoutMs: 200, startOffsets: null });
    m.assign(
      [
        { topic: 'fx', partition: 0, position: 0n, highWatermark: 100n },
        { topic: 't', partition: 0, position: 0n, highWatermark: 100n },
      ],
      0,
    );
    m.accept('t:0', [tickAt('t', 0, 0, 10)], batch(0), 0);
    m.accept('fx:0', [fxAt('fx', 0, 10)], batch(0), 0);
    // The fx partition may still deliver another rate at 10, which sorts before the tick.
    expect(m.release(10, 0).events.map((e) => e.event.kind)).toEqual(['fx-rate']);
    m.accept('fx:0', [fxAt('fx', 1, 11)], batch(1), 0);
    expect(m.release(10, 0).events.map((e) => e.event.kind)).toEqual(['tick']);
  });

  it('stops waiting for a caught-up partition once it has been idle for idleTimeoutMs', () => {
    const m = merge('canonical', 1n, 0n);
    m.accept('t:0', [tickAt('t', 0, 0, 10)], batch(0, 1n), 0);
    expect(m.release(10, 100).events).toEqual([]);
    expect(m.nextIdleAt(100)).toBe(200);
    expect(times(m.release(10, 200).events)).toEqual(['0@10']);
  });

  it('with minFetchRoundsBeforeIdle, waits until every broker has fetched twice since the partition was last heard of', () => {
    const m = new EventMerge({
      ordering: 'canonical',
      idleTimeoutMs: 200,
      startOffsets: null,
      minFetchRoundsBeforeIdle: 2,
    });
    // Partition 1 looks caught up (the high watermark read before the consumer joined), but the
    // consumer has not fetched it yet: it may hold records produced since.
    m.assign(
      [
        { topic: 't', partition: 0, position: 0n, highWatermark: 0n },
        { topic: 't', partition: 1, position: 0n, highWatermark: 0n },
      ],
      0,
    );
    m.fetched('1');
    m.accept('t:0', [tickAt('t', 0, 0, 20)], batch(0, 1n), 10);
    expect(m.release(10, 5_000).events).toEqual([]);
    expect(m.nextIdleAt(5_000)).toBeUndefined();
    // Broker 1's next round delivers partition 1's earlier record: it goes first.
    m.fetched('1');
    m.accept('t:1', [tickAt('t', 1, 0, 15)], batch(0, 1n), 5_010);
    expect(times(m.release(10, 5_010).events)).toEqual(['1@15']);
    // Two more rounds of broker 1 with nothing for partition 1, a round of a second broker
    // that is not enough, then its second: partition 1 is idle and the tick goes.
    m.fetched('1');
    m.fetched('1');
    m.fetched('2');
    expect(m.release(10, 6_000).events).toEqual([]);
    m.fetched('2');
    expect(m.nextIdleAt(5_100)).toBe(5_210);
    expect(times(m.release(10, 6_000).events)).toEqual(['0@20']);
  });

  it('with resumeGraceMs, holds a resuming partition for the others that resume a moment later', () => {
    const make = (resumeGraceMs: number) => {
      const m = new EventMerge({
        ordering: 'canonical',
        idleTimeoutMs: 200,
        startOffsets: null,
        resumeGraceMs,
      });
      m.assign(
        [
          { topic: 't', partition: 0, position: 0n, highWatermark: 0n },
          { topic: 't', partition: 1, position: 0n, highWatermark: 0n },
        ],
        0,
      );
      // Both quiet since the assignment: idle. Then partition 0 delivers a tick at 20 first;
      // partition 1's tick at 10 was produced alongside it and is fetched 30 ms later.
      m.accept('t:0', [tickAt('t', 0, 0, 20)], batch(0, 1n), 1000);
      const early = times(m.release(10, 1000).events);
      m.accept('t:1', [tickAt('t', 1, 0, 10)], batch(0, 1n), 1030);
      return { early, later: times(m.release(10, 1030).events) };
    };
    // Without the grace the tick at 20 goes at once, and the one at 10 comes after it: out of order.
    expect(make(0)).toEqual({ early: ['0@20'], later: ['1@10'] });
    // With it the tick at 20 waits, and both go in canonical order once partition 1 has spoken.
    const m = make(100);
    expect(m.early).toEqual([]);
    expect(m.later).toEqual(['1@10']);
    // A resume that nobody follows costs the grace and no more.
    const alone = new EventMerge({
      ordering: 'canonical',
      idleTimeoutMs: 200,
      startOffsets: null,
      resumeGraceMs: 100,
    });
    alone.assign(
      [
        { topic: 't', partition: 0, position: 0n, highWatermark: 0n },
        { topic: 't', partition: 1, position: 0n, highWatermark: 0n },
      ],
      0,
    );
    alone.accept('t:0', [tickAt('t', 0, 0, 20)], batch(0, 1n), 1000);
    expect(alone.release(10, 1099).events).toEqual([]);
    expect(alone.nextIdleAt(1050)).toBe(1100);
    expect(times(alone.release(10, 1100).events)).toEqual(['0@20']);
  });

  it('with latenessMs, holds an event that long after it arrived, for a late FX rate from an idle partition', () => {
    const m = new EventMerge({
      ordering: 'canonical',
      idleTimeoutMs: 200,
      latenessMs: 50,
      startOffsets: null,
    });
    m.assign(
      [
        { topic: 't', partition: 0, position: 0n, highWatermark: 0n },
        { topic: 'fx', partition: 0, position: 0n, highWatermark: 0n },
      ],
      0,
    );
    const tick = tickAt('t', 0, 0, 20).event!;
    m.accept('t:0', [{ offset: 0n, event: { ...tick, receivedAt: 1000 } }], batch(0, 1n), 1000);
    // The FX partition has been idle since 0, but the tick arrived only 30 ms ago.
    expect(m.release(10, 1030).events).toEqual([]);
    expect(m.nextIdleAt(1030)).toBe(1050);
    // The rate (event time 10) arrives late through its longer path and still goes first.
    m.accept('fx:0', [fxAt('fx', 0, 10)], batch(0, 1n), 1040);
    expect(m.release(10, 1040).events.map((e) => e.event.kind)).toEqual(['fx-rate']);
    // Then, as always, the partition that just delivered holds the merge for idleTimeoutMs.
    expect(m.release(10, 1239).events).toEqual([]);
    expect(m.release(10, 1240).events.map((e) => e.event.kind)).toEqual(['tick']);
    // Without the allowance the tick would have gone out at once, before the rate.
    const eager = merge('canonical', 1n, 0n);
    eager.accept('t:0', [tickAt('t', 0, 0, 20)], batch(0, 1n), 1000);
    expect(eager.release(10, 1000).events).toHaveLength(1);
  });

  it('keeps waiting for a partition that is behind its high watermark', () => {
    const m = merge('canonical', 50n);
    m.accept('t:0', [tickAt('t', 0, 0, 10)], batch(0), 0);
    expect(m.release(10, 10_000).events).toEqual([]);
  });

  it('returns undecodable records as they reach the head, without passing a buffered event', () => {
    const m = merge();
    m.accept('t:0', [garbageAt('t', 0, 0), tickAt('t', 0, 1, 10), garbageAt('t', 0, 2)], batch(2), 0);
    const first = m.release(10, 0);
    expect(first.undecodable.map((r) => r.offset)).toEqual(['0']);
    expect(m.nextOffsets()['t:0']).toBe('1');
    m.accept('t:1', [tickAt('t', 1, 0, 20)], batch(0), 0);
    const second = m.release(10, 0);
    expect(times(second.events)).toEqual(['0@10']);
    expect(second.undecodable.map((r) => r.offset)).toEqual(['2']);
    expect(m.nextOffsets()['t:0']).toBe('3');
  });

  it('honours maxEvents and drops records below the position (a refetch)', () => {
    const m = merge('canonical', 3n, 0n);
    m.accept('t:0', [tickAt('t', 0, 0, 1), tickAt('t', 0, 1, 2), tickAt('t', 0, 2, 3)], batch(2, 3n), 0);
    m.accept('t:0', [tickAt('t', 0, 1, 2)], batch(1, 3n), 0);
    expect(m.release(2, 1_000).events.map((e) => e.offset)).toEqual(['0', '1']);
    expect(m.nextOffsets()['t:0']).toBe('2');
    expect(m.release(2, 1_000).events.map((e) => e.offset)).toEqual(['2']);
  });

  it('advances past control records and keeps start offsets of unassigned partitions', () => {
    const m = new EventMerge({
      ordering: 'canonical',
      idleTimeoutMs: 200,
      startOffsets: { 'old:0': '7', 't:0': '5' },
    });
    m.assign([{ topic: 't', partition: 0, position: 5n, highWatermark: 9n }], 0);
    m.advance('t:0', batch(8, 9n), 0);
    expect(m.nextOffsets()).toEqual({ 'old:0': '7', 't:0': '9' });
  });
});

describe('EventMerge (arrival)', () => {
  it('releases immediately in arrival order', () => {
    const m = merge('arrival');
    m.accept('t:1', [tickAt('t', 1, 0, 50)], batch(0), 0);
    m.accept('t:0', [tickAt('t', 0, 0, 10)], batch(0), 0);
    expect(times(m.release(10, 0).events)).toEqual(['1@50', '0@10']);
  });
});
