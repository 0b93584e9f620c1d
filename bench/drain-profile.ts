/**
 * The CPU breakdown of one calculator drain: its main thread's V8 profile (written by
 * `--cpu-prof` when the process exits), cut to the drain's window, classified by stage, and scaled
 * to the CPU its threads used in that window.
 */
import { classifyCalculatorStack } from './calculator-stages.js';
import { type ClockWindow, mainThreadProfilePath, readCpuProfile, stageMicros } from './cpu-profile.js';
import { type CpuBreakdown, cpuBreakdown } from './stage-breakdown.js';
import type { ThreadGroupCpu } from './thread-cpu.js';

export interface ProfiledDrain {
  readonly pid: number;
  /** From the first commit seen to the last record committed, on V8's (monotonic) clock. */
  readonly window: ClockWindow;
  /** CPU seconds by thread group in the window. */
  readonly cpu: ThreadGroupCpu;
  readonly records: number;
}

/** Now on the clock V8 profiles use (CLOCK_MONOTONIC on Linux), µs. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Undefined when the process left no profile in `dir` (it did not exit normally). */
export function drainBreakdown(
  dir: string,
  drain: ProfiledDrain,
  targetRecordsPerSecond: number,
): CpuBreakdown | undefined {
  const path = mainThreadProfilePath(dir, drain.pid);
  if (path === undefined) return undefined;
  const sampled = stageMicros(readCpuProfile(path), classifyCalculatorStack, drain.window);
  return cpuBreakdown({
    sampled,
    cpu: drain.cpu,
    records: drain.records,
    wallSeconds: (drain.window.toMicros - drain.window.fromMicros) / 1e6,
    targetRecordsPerSecond,
  });
}
