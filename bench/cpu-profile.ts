/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and sums its sampled time by stage.
 *
 * The format is small JSON: a call tree (`nodes`, each with a call frame and child ids) and, per
 * sample, the leaf node then on the stack (`samples`) with the µs since the previous sample
 * (`timeDeltas`). Timestamps are V8's monotonic clock, the one `process.hrtime` reads on Linux, so
 * another process can cut a profile to a window it timed itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  /** µs, V8's monotonic clock. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A sample's stack, innermost frame first; returns the stage its time is charged to. */
export type StackClassifier = (stack: readonly CallFrame[]) => string;

/** A window of V8's monotonic clock, µs. */
export interface ClockWindow {
  readonly fromMicros: number;
  readonly toMicros: number;
}

export class CpuProfileFormatError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path} is not a V8 CPU profile: ${detail.slice(0, 200)}`);
    this.name = 'CpuProfileFormatError';
  }
}

export function readCpuProfile(path: string): CpuProfile {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const profile = parsed as Partial<CpuProfile> | null;
  if (!Array.isArray(profile?.nodes) || !Array.isArray(profile.samples) || !Array.isArray(profile.timeDeltas))
    throw new CpuProfileFormatError(path, JSON.stringify(parsed));
  if (profile.samples.length !== profile.timeDeltas.length)
    throw new CpuProfileFormatError(
      path,
      `${profile.samples.length} samples but ${profile.timeDeltas.length} time deltas`,
    );
  return profile as CpuProfile;
}

/**
 * The main thread's profile of process `pid` in `dir`: `--cpu-prof` names files
 * `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`, and the main thread is thread 0 (tsx's
 * loader thread writes thread 1). Undefined when there is none.
 */
export function mainThreadProfilePath(dir: string, pid: number): string | undefined {
  const name = readdirSync(dir).find((file) => {
    const fields = file.split('.');
    return fields.at(-1) === 'cpuprofile' && fields[3] === String(pid) && fields[4] === '0';
  });
  return name === undefined ? undefined : join(dir, name);
}

/** Each node's stack, innermost frame first. */
function stacksById(nodes: readonly CpuProfileNode[]): Map<number, CallFrame[]> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stacks = new Map<number, CallFrame[]>();
  const stackOf = (id: number): CallFrame[] => {
    const known = stacks.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const stack = [byId.get(id)!.callFrame, ...(parent === undefined ? [] : stackOf(parent))];
    stacks.set(id, stack);
    return stack;
  };
  for (const node of nodes) stackOf(node.id);
  return stacks;
}

/**
 * Sampled µs per stage, inside `window` when given. A sample stands for the time until the next
 * one (the last, until `endTime`), as Chrome DevTools counts it; a span crossing the window's
 * edge counts only its part inside.
 */
export function stageMicros(
  profile: CpuProfile,
  classify: StackClassifier,
  window?: ClockWindow,
): Map<string, number> {
  const stacks = stacksById(profile.nodes);
  const stageOfNode = new Map<number, string>();
  const totals = new Map<string, number>();
  const from = window?.fromMicros ?? Number.NEGATIVE_INFINITY;
  const to = window?.toMicros ?? Number.POSITIVE_INFINITY;
  let at = profile.startTime;
  const times = profile.timeDeltas.map((delta) => {
    at += delta;
    return at;
  });
  for (let i = 0; i < profile.samples.length; i += 1) {
    const start = Math.max(times[i]!, from);
    const end = Math.min(times[i + 1] ?? profile.endTime, to);
    if (end <= start) continue;
    const id = profile.samples[i]!;
    let stage = stageOfNode.get(id);
    if (stage === undefined) {
      stage = classify(stacks.get(id) ?? []);
      stageOfNode.set(id, stage);
    }
    totals.set(stage, (totals.get(stage) ?? 0) + (end - start));
  }
  return totals;
}
