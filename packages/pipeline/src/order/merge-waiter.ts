import type { EventBatch } from '../ports.js';
import type { EventMerge } from './event-merge.js';

/**
 * The waiting half of an event source: `nextBatch` releases what the merge allows, and otherwise
 * sleeps until the deadline, the merge's next idle deadline, or a `signal()` from the fetching
 * side, whichever comes first.
 */
export class MergeWaiter {
  readonly #now: () => number;
  #wake: (() => void) | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  async nextBatch(
    merge: EventMerge,
    maxEvents: number,
    maxWaitMs: number,
    state: { failure(): Error | undefined; closed(): boolean; held(): boolean; released(): void },
  ): Promise<EventBatch> {
    const deadline = this.#now() + maxWaitMs;
    for (;;) {
      const failure = state.failure();
      if (failure !== undefined) throw failure;
      const now = this.#now();
      if (state.held()) {
        if (now >= deadline || state.closed())
          return withWatermark(merge, { events: [], undecodable: [], nextOffsets: merge.nextOffsets() });
        await this.#sleep(deadline - now);
        continue;
      }
      const released = merge.release(maxEvents, now);
      state.released();
      if (
        released.events.length > 0 ||
        released.undecodable.length > 0 ||
        now >= deadline ||
        state.closed()
      ) {
        return withWatermark(merge, {
          events: released.events,
          undecodable: released.undecodable,
          nextOffsets: merge.nextOffsets(),
        });
      }
      const idleAt = merge.nextIdleAt(now);
      await this.#sleep(Math.min(deadline, idleAt ?? deadline) - now);
    }
  }

  signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      const previous = this.#wake;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        previous?.();
        done();
      };
    });
  }
}

/** The batch with the merge's input watermark after it, when the input has stated one. */
function withWatermark(merge: EventMerge, batch: EventBatch): EventBatch {
  const watermark = merge.inputWatermark();
  return watermark === undefined ? batch : { ...batch, watermark };
}
