import { type InputOffsets, type StateSnapshot, type StateStore, sameOffsets } from '@indexflow/pipeline';

/** The version check failed: another writer moved the state. Carries both versions. */
export class InMemoryVersionConflictError extends Error {
  constructor(
    readonly expected: number,
    readonly found: number | null,
  ) {
    super(`state version conflict: expected committed version ${expected}, found ${found}`);
    this.name = 'InMemoryVersionConflictError';
  }
}

/** The two-phase StateStore contract over a Map, for the embedded run and unit tests. */
export class InMemoryStateStore implements StateStore {
  committed: StateSnapshot | null = null;
  pending: StateSnapshot | null = null;
  /** Makes the next promote fail (a crash after the Kafka commit, before Redis caught up). */
  failNextPromote = false;

  async stage(snapshot: StateSnapshot): Promise<void> {
    const found = this.committed?.version ?? null;
    if ((found ?? 0) !== snapshot.version - 1)
      throw new InMemoryVersionConflictError(snapshot.version - 1, found);
    // A round trip through JSON, as Redis would store it, so no live object is shared.
    this.pending = JSON.parse(JSON.stringify(snapshot)) as StateSnapshot;
  }

  async promote(version: number): Promise<void> {
    if (this.failNextPromote) {
      this.failNextPromote = false;
      throw new Error('injected failure: promote lost');
    }
    if (this.pending?.version !== version)
      throw new InMemoryVersionConflictError(version, this.pending?.version ?? null);
    this.committed = this.pending;
    this.pending = null;
  }

  async recover(kafkaOffsets: InputOffsets | null): Promise<StateSnapshot | null> {
    // A pending snapshot is promoted only on top of its committed predecessor, as in Redis; alone
    // (the store lost its committed state) it is dropped and the caller rebuilds from the input.
    const predecessorOk = this.committed !== null || this.pending?.version === 1;
    if (this.pending !== null && predecessorOk && sameOffsets(this.pending.offsets, kafkaOffsets)) {
      this.committed = this.pending;
    }
    this.pending = null;
    // Wherever it sits, as Redis does: recoverProcessor compares it with Kafka's offsets.
    return this.committed;
  }

  /** Forgets everything, as a Redis restart without persistence would. */
  wipe(): void {
    this.committed = null;
    this.pending = null;
  }

  async close(): Promise<void> {}
}
