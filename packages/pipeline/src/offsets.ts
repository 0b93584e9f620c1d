import type { InputOffsets } from './ports.js';

/** Offsets as canonical JSON (sorted keys), so two offset maps compare by value. */
export function canonicalOffsets(offsets: InputOffsets | null): string {
  if (offsets === null) return 'null';
  return JSON.stringify(
    Object.fromEntries(Object.entries(offsets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  );
}

export function sameOffsets(a: InputOffsets | null, b: InputOffsets | null): boolean {
  return canonicalOffsets(a) === canonicalOffsets(b);
}

/** True when an input record at `offset` of `topic:partition` lies before the committed point. */
export function isBefore(offsets: InputOffsets | null, key: string, offset: string): boolean {
  const committed = offsets?.[key];
  return committed !== undefined && BigInt(offset) < BigInt(committed);
}

/** True when `offsets` lies before `committed` on some partition `committed` names (or lacks one). */
export function isBehind(offsets: InputOffsets, committed: InputOffsets): boolean {
  for (const [key, offset] of Object.entries(committed)) {
    const at = offsets[key];
    if (at === undefined || BigInt(at) < BigInt(offset)) return true;
  }
  return false;
}

/**
 * True when a batch ending at `offsets` has read up to `committed` on every partition it names,
 * or past it on one: a rebuild has reached the point where the crashed run committed.
 */
export function reaches(offsets: InputOffsets, committed: InputOffsets): boolean {
  if (!isBehind(offsets, committed)) return true;
  for (const [key, offset] of Object.entries(offsets)) {
    const at = committed[key];
    if (at !== undefined && BigInt(offset) > BigInt(at)) return true;
  }
  return false;
}
