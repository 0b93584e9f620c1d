/**
 * CPU seconds of a process and of its threads by kind, from /proc (Linux; NaN elsewhere). A V8
 * profile samples the main thread only, while librdkafka's threads, V8's helper threads (parallel
 * GC, compiler) and the profiler's own thread also use the process's CPU.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadGroupCpu {
  /** The JS thread: the one a V8 profile samples. */
  readonly main: number;
  /** librdkafka's threads (named `rdk:…`). */
  readonly librdkafka: number;
  /** The V8 profiler's sampling thread (`v8:ProfEvntProc`), there only when profiling. */
  readonly profiler: number;
  /** Every other thread: V8 helpers (GC, compiler), libuv's pool, tsx's loader. */
  readonly other: number;
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return clockTicks;
}

/** utime + stime of a /proc `stat` line, in seconds. */
function statSeconds(stat: string): number {
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

/** CPU seconds (user + system) a process has used so far; NaN where there is no /proc. */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    return statSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return Number.NaN;
  }
}

/** The group a thread's CPU is counted in, from its id and name (`comm`). */
export function threadGroup(pid: number, tid: number, name: string): keyof ThreadGroupCpu {
  if (tid === pid) return 'main';
  if (name.startsWith('rdk:')) return 'librdkafka';
  if (name.startsWith('v8:Prof')) return 'profiler';
  return 'other';
}

/** CPU seconds of a process's live threads by group; NaNs where there is no /proc. */
export function threadGroupCpuSeconds(pid: number | undefined): ThreadGroupCpu {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { main: Number.NaN, librdkafka: Number.NaN, profiler: Number.NaN, other: Number.NaN };
  }
  const sums = { main: 0, librdkafka: 0, profiler: 0, other: 0 };
  for (const task of tasks) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
      const seconds = statSeconds(readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8'));
      sums[threadGroup(Number(pid), Number(task), name)] += seconds;
    } catch {
      // The thread ended between the listing and the read: its CPU is no longer counted anywhere.
    }
  }
  return sums;
}

export function cpuSince(now: ThreadGroupCpu, before: ThreadGroupCpu): ThreadGroupCpu {
  return {
    main: now.main - before.main,
    librdkafka: now.librdkafka - before.librdkafka,
    profiler: now.profiler - before.profiler,
    other: now.other - before.other,
  };
}

/** µs per record of each thread group, to one decimal (for the bench's lines and JSON). */
export function threadMicrosPerRecord(cpu: ThreadGroupCpu, records: number): ThreadGroupCpu {
  const per = (seconds: number) => Number(((seconds / records) * 1e6).toFixed(1));
  return {
    main: per(cpu.main),
    librdkafka: per(cpu.librdkafka),
    profiler: per(cpu.profiler),
    other: per(cpu.other),
  };
}

export function threadCpuLine(cpu: ThreadGroupCpu, records: number): string {
  const us = threadMicrosPerRecord(cpu, records);
  return `main thread ${us.main} µs, librdkafka threads ${us.librdkafka} µs, V8 helpers and other threads ${us.other} µs, profiler thread ${us.profiler} µs per record`;
}
