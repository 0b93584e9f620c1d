/**
 * The calculator's CPU per record by stage over one drain, and what a target rate asks of it.
 *
 * The main thread runs every line of JS, so it sets the rate: at R records/s it may spend at most
 * 1e6 / R µs per record. Its CPU (from /proc) is split between stages in proportion to the
 * profile's non-idle samples: samples count wall time, which on a loaded machine includes time the
 * thread was ready but had no core, and scaling to its CPU removes that. The other threads
 * (librdkafka's, V8's helpers) are measured from /proc only and listed beside.
 */
import { STAGE_LABELS, type Stage } from './calculator-stages.js';
import type { ThreadGroupCpu } from './thread-cpu.js';

const THREAD_LABELS = {
  librdkafkaThreads: 'librdkafka threads (rdk:*)',
  otherThreads: 'V8 helpers (GC, compiler), libuv, tsx loader',
  profilerThread: 'V8 profiler thread (profiling only)',
} as const;

export interface BreakdownRow {
  readonly key: Stage | keyof typeof THREAD_LABELS;
  readonly label: string;
  readonly microsPerRecord: number;
  /** Of the whole process's CPU in the window. */
  readonly share: number;
}

export interface CpuBreakdown {
  readonly records: number;
  readonly processMicrosPerRecord: number;
  readonly mainThreadMicrosPerRecord: number;
  /** Main thread CPU / wall time of the window. */
  readonly mainThreadBusyShare: number;
  /** Non-idle sampled main-thread time / its CPU: above 1 when it waited for a core. */
  readonly sampledToCpuRatio: number;
  /** Main-thread stages, largest first. */
  readonly stages: readonly BreakdownRow[];
  /** The other threads, from /proc. */
  readonly threads: readonly BreakdownRow[];
  readonly target: TargetGap;
}

export interface TargetGap {
  readonly recordsPerSecond: number;
  readonly mainThreadMicrosPerRecord: number;
  /** Main-thread µs per record above the target's; ≤ 0 when it is met. */
  readonly excessMicrosPerRecord: number;
  /**
   * The fewest largest stages that halving (or less) would bring to the target, and the share
   * they would have to lose; all stages when even that is not enough.
   */
  readonly largestStages: readonly Stage[];
  readonly largestStagesShrinkBy: number;
  /** The share every main-thread stage would have to lose. */
  readonly everyStageShrinkBy: number;
}

export interface BreakdownInput {
  /** Sampled µs per stage in the window, from `stageMicros` with the calculator's classifier. */
  readonly sampled: ReadonlyMap<string, number>;
  /** CPU seconds per thread group in the window. */
  readonly cpu: ThreadGroupCpu;
  readonly records: number;
  readonly wallSeconds: number;
  readonly targetRecordsPerSecond: number;
}

function targetGap(rows: readonly BreakdownRow[], mainMicros: number, recordsPerSecond: number): TargetGap {
  const allowed = 1e6 / recordsPerSecond;
  const excess = mainMicros - allowed;
  const largest: Stage[] = [];
  let held = 0;
  for (const row of rows) {
    if (held >= 2 * excess) break;
    largest.push(row.key as Stage);
    held += row.microsPerRecord;
  }
  return {
    recordsPerSecond,
    mainThreadMicrosPerRecord: allowed,
    excessMicrosPerRecord: excess,
    largestStages: excess > 0 ? largest : [],
    largestStagesShrinkBy: excess > 0 ? Math.min(1, excess / held) : 0,
    everyStageShrinkBy: excess > 0 ? excess / mainMicros : 0,
  };
}

export function cpuBreakdown(input: BreakdownInput): CpuBreakdown {
  const { sampled, cpu, records } = input;
  const busy = [...sampled].filter(([stage]) => stage !== 'idle');
  const busyMicros = busy.reduce((sum, [, micros]) => sum + micros, 0);
  const processSeconds = cpu.main + cpu.librdkafka + cpu.other + cpu.profiler;
  const perRecord = (seconds: number) => (seconds / records) * 1e6;
  const row = (key: BreakdownRow['key'], label: string, micros: number): BreakdownRow => ({
    key,
    label,
    microsPerRecord: micros,
    share: micros / perRecord(processSeconds),
  });
  const stages = busy
    .map(([stage, micros]) =>
      row(stage as Stage, STAGE_LABELS[stage as Stage] ?? stage, (perRecord(cpu.main) * micros) / busyMicros),
    )
    .sort((a, b) => b.microsPerRecord - a.microsPerRecord);
  const threads = [
    row('librdkafkaThreads', THREAD_LABELS.librdkafkaThreads, perRecord(cpu.librdkafka)),
    row('otherThreads', THREAD_LABELS.otherThreads, perRecord(cpu.other)),
    row('profilerThread', THREAD_LABELS.profilerThread, perRecord(cpu.profiler)),
  ];
  return {
    records,
    processMicrosPerRecord: perRecord(processSeconds),
    mainThreadMicrosPerRecord: perRecord(cpu.main),
    mainThreadBusyShare: cpu.main / input.wallSeconds,
    sampledToCpuRatio: busyMicros / 1e6 / cpu.main,
    stages,
    threads,
    target: targetGap(stages, perRecord(cpu.main), input.targetRecordsPerSecond),
  };
}
