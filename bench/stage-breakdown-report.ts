/** How bench:e2e prints a CPU breakdown: a table of readable lines, and a compact JSON figure. */
import type { CpuBreakdown } from './stage-breakdown.js';

const micros = (x: number) => x.toFixed(1);
const percent = (x: number) => `${(x * 100).toFixed(0)}%`;

function targetLine(b: CpuBreakdown): string {
  const { target } = b;
  const needed = `needed for ${(target.recordsPerSecond / 1000).toFixed(0)}k records/s: ≤ ${micros(target.mainThreadMicrosPerRecord)} µs per record on the main thread (one core runs all the JS)`;
  if (target.excessMicrosPerRecord <= 0) return `${needed}: met (${micros(b.mainThreadMicrosPerRecord)} µs)`;
  const every = `${needed}: it takes ${micros(b.mainThreadMicrosPerRecord)} µs, ${micros(target.excessMicrosPerRecord)} µs too many; every main-thread stage would have to lose ${percent(target.everyStageShrinkBy)}`;
  // Naming every stage again says nothing more.
  if (target.largestStages.length === b.stages.length) return every;
  return `${every}, or ${target.largestStages.join(' + ')} together ${percent(target.largestStagesShrinkBy)}`;
}

export function breakdownLines(title: string, b: CpuBreakdown): string[] {
  const width = Math.max(...[...b.stages, ...b.threads].map((row) => row.label.length + 2));
  const line = (label: string, value: number, share: number) =>
    `  ${label.padEnd(width)} ${micros(value).padStart(6)} µs ${percent(share).padStart(5)}`;
  return [
    `${title}: CPU per record by stage (main thread: V8 profile scaled to its CPU; other threads: /proc)`,
    line('main thread', b.mainThreadMicrosPerRecord, b.mainThreadMicrosPerRecord / b.processMicrosPerRecord),
    // Stages under 0.05 µs per record print as 0.0: the JSON line still has them.
    ...b.stages
      .filter((row) => row.microsPerRecord >= 0.05)
      .map((row) => line(`  ${row.label}`, row.microsPerRecord, row.share)),
    ...b.threads.map((row) => line(row.label, row.microsPerRecord, row.share)),
    line('process', b.processMicrosPerRecord, 1),
    `  main thread busy ${percent(b.mainThreadBusyShare)} of the drain's wall time; sampled busy time / its CPU ${b.sampledToCpuRatio.toFixed(2)} (above 1: waiting for a core)`,
    `  ${targetLine(b)}`,
  ];
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** The breakdown for the bench's JSON line: µs per record per stage, and the gap to the target. */
export function breakdownJson(b: CpuBreakdown) {
  const rows = [...b.stages, ...b.threads];
  return {
    processMicrosPerRecord: round(b.processMicrosPerRecord),
    mainThreadMicrosPerRecord: round(b.mainThreadMicrosPerRecord),
    mainThreadBusyShare: round(b.mainThreadBusyShare, 3),
    sampledToCpuRatio: round(b.sampledToCpuRatio),
    microsPerRecord: Object.fromEntries(rows.map((row) => [row.key, round(row.microsPerRecord)])),
    share: Object.fromEntries(rows.map((row) => [row.key, round(row.share, 3)])),
    target: {
      recordsPerSecond: b.target.recordsPerSecond,
      mainThreadMicrosPerRecord: round(b.target.mainThreadMicrosPerRecord),
      excessMicrosPerRecord: round(b.target.excessMicrosPerRecord),
      largestStages: b.target.largestStages,
      largestStagesShrinkBy: round(b.target.largestStagesShrinkBy, 3),
      everyStageShrinkBy: round(b.target.everyStageShrinkBy, 3),
    },
  };
}
