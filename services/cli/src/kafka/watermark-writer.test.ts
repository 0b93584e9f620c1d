import { readWatermark } from '@indexflow/kafka';
import { describe, expect, it } from 'vitest';
import { WatermarkWriter } from './watermark-writer.js';

/** Times in the tests count from here (watermarks before 1990 are refused as implausible). */
const T = Date.UTC(2025, 2, 24);

function writer() {
  let now = 0;
  const w = new WatermarkWriter({
    topics: ['ticks', 'fx'],
    partitions: (topic) => (topic === 'ticks' ? 3 : 1),
    heartbeatMs: 200,
    now: () => now,
  });
  const read = (records: ReturnType<WatermarkWriter['start']>) =>
    records.map((record) => {
      const mark = readWatermark(record.headers as Record<string, string>);
      const shown =
        mark.kind === 'watermark'
          ? `${mark.watermark.time - T}${mark.watermark.final ? 'F' : ''}`
          : mark.kind;
      return `${record.topic}/${record.partition}:${shown}`;
    });
  return { w, read, advance: (ms: number) => (now += ms) };
}

describe('WatermarkWriter', () => {
  it('writes to every partition of every topic, with no value', () => {
    const { w, read } = writer();
    const records = w.start(T + 1_000);
    expect(read(records)).toEqual(['ticks/0:1000', 'ticks/1:1000', 'ticks/2:1000', 'fx/0:1000']);
    expect(records.every((r) => r.value === null)).toBe(true);
  });

  it('heartbeats only every heartbeatMs of wall clock, never backwards, and nothing after the final one', () => {
    const { w, read, advance } = writer();
    w.start(T + 5_000);
    advance(100);
    expect(w.heartbeat(T + 6_000)).toEqual([]);
    advance(100);
    expect(read(w.heartbeat(T + 4_000))[0]).toBe('ticks/0:5000');
    advance(200);
    expect(read(w.heartbeat(T + 7_000))[3]).toBe('fx/0:7000');
    expect(read(w.final(T + 8_000))).toEqual([
      'ticks/0:8000F',
      'ticks/1:8000F',
      'ticks/2:8000F',
      'fx/0:8000F',
    ]);
    advance(1_000);
    expect(w.heartbeat(T + 9_000)).toEqual([]);
    expect(w.final(T + 9_000)).toEqual([]);
  });
});
