import type { IndexLevel } from '@indexflow/index-engine';

/** The last level time per index, as `IndexEngine` keeps it (its snapshot restores it). */
export interface LevelHistory {
  readonly indexIds: readonly string[];
  lastLevelTime(indexId: string): number | null;
}

export function hasLevelHistory(value: object): value is LevelHistory {
  return 'indexIds' in value && 'lastLevelTime' in value && typeof value.lastLevelTime === 'function';
}

/**
 * Conflation for desks that want fewer updates: at most one level per index per interval of
 * EVENT time, namely the first level of each interval that has any. Keyed by event time, so a
 * replay conflates exactly as the live run did; and because every interval with a level
 * publishes its first one, the only state needed across a restart is the time of the index's
 * last level, which the engine snapshot already holds.
 */
export class LevelConflation {
  readonly #lastTime = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    engine: LevelHistory,
  ) {
    for (const id of engine.indexIds) {
      const time = engine.lastLevelTime(id);
      if (time !== null) this.#lastTime.set(id, time);
    }
  }

  /** Returns true when `level` is the first of its index in its interval (and so is published). */
  admit(level: IndexLevel): boolean {
    const previous = this.#lastTime.get(level.indexId);
    this.#lastTime.set(level.indexId, level.eventTime);
    return (
      previous === undefined ||
      Math.floor(level.eventTime / this.intervalMs) > Math.floor(previous / this.intervalMs)
    );
  }
}

/** Conflation was asked of a processor that publishes no levels (see LevelHistory). */
export class ConflationUnsupportedError extends Error {
  constructor(readonly processor: string) {
    super(`level conflation needs a processor with a level history; ${processor.slice(0, 200)} has none`);
    this.name = 'ConflationUnsupportedError';
  }
}
