/** What a recompute publishes: levels with from ≤ eventTime < to, of the chosen indices. */
export interface RecomputeWindow {
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, exclusive; null: up to the end of the input present when the run started. */
  readonly to: number | null;
  /** Null: every index. The engine still computes all of them (see recompute-from-kafka.ts). */
  readonly indexIds: ReadonlySet<string> | null;
}

/** True when `level` belongs to the window's output. */
export function levelInWindow(
  window: RecomputeWindow,
  level: { readonly indexId: string; readonly eventTime: number },
): boolean {
  if (level.eventTime < window.from) return false;
  if (window.to !== null && level.eventTime >= window.to) return false;
  return window.indexIds === null || window.indexIds.has(level.indexId);
}

/** The window as `[from, to)` in ISO-8601 UTC, for summaries and record headers. */
export function formatWindow(window: RecomputeWindow): string {
  const to = window.to === null ? 'end of input' : new Date(window.to).toISOString();
  return `[${new Date(window.from).toISOString()}, ${to})`;
}
