import type { InputOffsets, StateSnapshot, StateStore } from './ports.js';

/**
 * A StateStore for runs that never resume: an offline replay reads its input from the start every
 * time, so there is no snapshot to keep. Stages and promotes nothing; recovers nothing.
 */
export class NoRecoveryStateStore implements StateStore {
  /** An engine snapshot costs a walk of the whole engine state; nothing here would read it. */
  readonly keepsSnapshots = false;

  async stage(_snapshot: StateSnapshot): Promise<void> {}

  async promote(_version: number): Promise<void> {}

  async recover(_kafkaOffsets: InputOffsets | null): Promise<StateSnapshot | null> {
    return null;
  }

  async close(): Promise<void> {}
}
