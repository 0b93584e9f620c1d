import type { InputOffsets, StateSnapshot, StateStore } from '@indexflow/pipeline';

/**
 * The recompute's StateStore: it keeps nothing. A recompute always rebuilds from the start of the
 * input and is thrown away when it ends, so there is nothing to recover, and it must never touch
 * the live calculator's snapshots in Redis.
 */
export class DiscardingStateStore implements StateStore {
  async stage(_snapshot: StateSnapshot): Promise<void> {}

  async promote(_version: number): Promise<void> {}

  async recover(_kafkaOffsets: InputOffsets | null): Promise<StateSnapshot | null> {
    return null;
  }

  async close(): Promise<void> {}
}
