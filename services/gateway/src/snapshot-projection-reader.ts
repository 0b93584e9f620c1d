// The in-process counterpart of ProjectionReader: reads the projection from the calculator's
// committed state snapshot (an in-memory StateStore) instead of Redis. It builds the projection with
// the Redis adapter's own `buildProjection` and reads it back with `parseIndexProjection`, so the
// constituents a desk sees are computed from exactly the fields Redis would hold.
import { buildProjection, type IndexProjection, parseIndexProjection } from '@indexflow/redis-state';
import { type ConstituentsSnapshot, constituentsFromProjection } from './constituents.js';

/** The committed state as a StateStore holds it: its version and `IndexEngine.snapshot()`. */
export interface CommittedState {
  readonly version: number;
  readonly engine: unknown;
}

export class SnapshotProjectionReader {
  readonly #committed: () => CommittedState | null;
  /** The last projection built, keyed by state version: a version is immutable once committed. */
  #cache: { version: number; indices: Map<string, IndexProjection> } | null = null;

  /** `committed` returns the store's committed snapshot, or null before the first commit. */
  constructor(committed: () => CommittedState | null) {
    this.#committed = committed;
  }

  #indices(): Map<string, IndexProjection> {
    const state = this.#committed();
    if (state === null) return new Map();
    if (this.#cache?.version === state.version) return this.#cache.indices;
    const indices = new Map<string, IndexProjection>();
    for (const { member, fields } of buildProjection(state.engine, state.version).indices) {
      const projection = parseIndexProjection(`in-memory:index:${member}`, member, fields);
      if (projection !== null) indices.set(member, projection);
    }
    this.#cache = { version: state.version, indices };
    return indices;
  }

  /** Index ids the calculator holds, sorted. */
  async indexIds(): Promise<string[]> {
    return [...this.#indices().keys()].sort();
  }

  async index(indexId: string): Promise<IndexProjection | null> {
    return this.#indices().get(indexId) ?? null;
  }

  /** Constituents with weights and contributions; null before the index is based. */
  async constituents(indexId: string): Promise<ConstituentsSnapshot | null> {
    const projection = this.#indices().get(indexId);
    return projection === undefined ? null : constituentsFromProjection(projection);
  }
}
