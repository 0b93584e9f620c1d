import { describe, expect, it } from 'vitest';
import { cpuBreakdown } from '../../bench/stage-breakdown.js';
import { breakdownJson, breakdownLines } from '../../bench/stage-breakdown-report.js';
import { threadGroup, threadMicrosPerRecord } from '../../bench/thread-cpu.js';

// 100,000 records; the main thread used 2 s of CPU (20 µs per record) while its samples, idle
// aside, cover 1.6 s of wall time (it waited for a core), split 6 : 3 : 1.
const breakdown = cpuBreakdown({
  sampled: new Map([
    ['engine', 960_000],
    ['levelEncode', 480_000],
    ['gc', 160_000],
    ['idle', 400_000],
  ]),
  cpu: { main: 2, librdkafka: 0.6, other: 0.3, profiler: 0.1 },
  records: 100_000,
  wallSeconds: 4,
  targetRecordsPerSecond: 100_000,
});

describe('the CPU breakdown of a drain', () => {
  it("splits the main thread's CPU between stages in proportion to their busy samples", () => {
    expect(breakdown.mainThreadMicrosPerRecord).toBeCloseTo(20);
    expect(breakdown.stages.map((row) => [row.key, Number(row.microsPerRecord.toFixed(6))])).toEqual([
      ['engine', 12],
      ['levelEncode', 6],
      ['gc', 2],
    ]);
    expect(breakdown.sampledToCpuRatio).toBeCloseTo(0.8);
    expect(breakdown.mainThreadBusyShare).toBeCloseTo(0.5);
  });

  it('lists the other threads beside, and shares of the whole process', () => {
    expect(breakdown.processMicrosPerRecord).toBeCloseTo(30);
    expect(breakdown.threads.map((row) => [row.key, Number(row.microsPerRecord.toFixed(6))])).toEqual([
      ['librdkafkaThreads', 6],
      ['otherThreads', 3],
      ['profilerThread', 1],
    ]);
    expect(breakdown.stages[0]!.share).toBeCloseTo(0.4);
  });

  it('says how much the largest stages, or all, must shrink to reach the target', () => {
    const { target } = breakdown;
    expect(target.mainThreadMicrosPerRecord).toBe(10);
    expect(target.excessMicrosPerRecord).toBeCloseTo(10);
    expect(target.everyStageShrinkBy).toBeCloseTo(0.5);
    // 10 µs too many: engine alone (12 µs) would lose 83%, engine + levelEncode (18 µs) 56%, all
    // three (20 µs) 50%, the first set that halving is enough for.
    expect(target.largestStages).toEqual(['engine', 'levelEncode', 'gc']);
    expect(target.largestStagesShrinkBy).toBeCloseTo(0.5);
    expect(breakdownLines('test drain', breakdown).at(-1)).toMatch(
      /it takes 20\.0 µs, 10\.0 µs too many; every main-thread stage would have to lose 50%$/,
    );
  });

  it('names only the largest stages when halving them is enough, all when even that is not', () => {
    const drain = (targetRecordsPerSecond: number) =>
      cpuBreakdown({
        sampled: new Map([
          ['levelEncode', 8],
          ['gc', 6],
          ['engine', 4],
          ['merge', 2],
        ]),
        cpu: { main: 2, librdkafka: 0, other: 0, profiler: 0 },
        records: 100_000,
        wallSeconds: 4,
        targetRecordsPerSecond,
      });
    // 20 µs against 14: 6 too many; levelEncode + gc (14 µs) would lose 6/14, less than half.
    const near = drain(1e6 / 14);
    expect(near.target.largestStages).toEqual(['levelEncode', 'gc']);
    expect(near.target.largestStagesShrinkBy).toBeCloseTo(6 / 14);
    expect(near.target.everyStageShrinkBy).toBeCloseTo(6 / 20);
    expect(breakdownLines('near', near).at(-1)).toMatch(
      /every main-thread stage would have to lose 30%, or levelEncode \+ gc together 43%$/,
    );
    // 20 µs against 5: 15 too many, more than half of everything.
    const far = drain(200_000).target;
    expect(far.largestStages).toEqual(['levelEncode', 'gc', 'engine', 'merge']);
    expect(far.largestStagesShrinkBy).toBeCloseTo(0.75);
  });

  it('needs nothing shrunk when the target is met', () => {
    const slow = cpuBreakdown({
      sampled: new Map([['engine', 1]]),
      cpu: { main: 0.5, librdkafka: 0, other: 0, profiler: 0 },
      records: 100_000,
      wallSeconds: 1,
      targetRecordsPerSecond: 100_000,
    });
    expect(slow.target.excessMicrosPerRecord).toBeCloseTo(-5);
    expect(slow.target.largestStages).toEqual([]);
    expect(breakdownJson(slow).target.everyStageShrinkBy).toBe(0);
  });

  it('puts each row in the JSON by key', () => {
    expect(breakdownJson(breakdown).microsPerRecord).toEqual({
      engine: 12,
      levelEncode: 6,
      gc: 2,
      librdkafkaThreads: 6,
      otherThreads: 3,
      profilerThread: 1,
    });
  });
});

describe('thread groups', () => {
  it('tells the main thread, librdkafka, the profiler and the rest apart', () => {
    expect(threadGroup(40, 40, 'node')).toBe('main');
    expect(threadGroup(40, 41, 'rdk:broker1')).toBe('librdkafka');
    expect(threadGroup(40, 42, 'v8:ProfEvntProc')).toBe('profiler');
    expect(threadGroup(40, 43, 'node')).toBe('other');
  });
});

describe('CPU by thread per record', () => {
  it('divides each group by the records, to 0.1 µs', () => {
    expect(threadMicrosPerRecord({ main: 2, librdkafka: 0.55, other: 0.3, profiler: 0 }, 100_000)).toEqual({
      main: 20,
      librdkafka: 5.5,
      profiler: 0,
      other: 3,
    });
  });
});
