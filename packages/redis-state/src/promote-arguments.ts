// Lays out the KEYS and ARGV of lua/promote.lua (its header documents the layout). The whole
// projection travels in one script call so readers never see a snapshot without its projection.
import type { KeyLayout } from './key-layout.js';
import type { Projection, ProjectionEntry } from './projection.js';

export interface ScriptCall {
  readonly keys: readonly string[];
  readonly args: readonly string[];
}

export function promoteArguments(
  layout: KeyLayout,
  version: number,
  digest: string,
  projection: Projection,
): ScriptCall {
  const keys: string[] = [layout.committed, layout.pending, layout.indices, layout.symbols, layout.fxPairs];
  const args: string[] = [
    String(version),
    digest,
    layout.indexBase,
    layout.symbolBase,
    layout.fxBase,
    String(projection.indices.length),
    String(projection.symbols.length),
    String(projection.fx.length),
  ];
  const push = (entries: readonly ProjectionEntry[], keyOf: (member: string) => string): void => {
    for (const entry of entries) {
      keys.push(keyOf(entry.member));
      const pairs = Object.entries(entry.fields).flat();
      args.push(entry.member, String(pairs.length), ...pairs);
    }
  };
  push(projection.indices, layout.index);
  push(projection.symbols, layout.symbol);
  push(projection.fx, layout.fx);
  return { keys, args };
}
