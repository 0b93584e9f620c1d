import type { EventBatch, EventSource, InputOffsets } from '@indexflow/pipeline';

export interface BoundedSourceOptions {
  /** Start of the window (epoch ms): events before it only rebuild the state. */
  readonly from: number;
  /** End of the window (epoch ms, exclusive), or null for "the input present at the start". */
  readonly to: number | null;
  /** Per `topic:partition`: the first offset (where the rebuild starts). */
  readonly startOffsets: InputOffsets;
  /** Per `topic:partition`: the high watermark when the run started; the run never reads past it. */
  readonly endOffsets: InputOffsets;
}

/**
 * Wraps the calculator's event source and decides when a recompute is complete, so the pipeline
 * loop can stop. It is complete when either
 *
 * - the source has released an event at or after `to`: the source releases in canonical order
 *   (compareEvents, behind the partition watermark), so every event before `to` has then been
 *   applied; this holds whatever timestamps the records carry, or
 * - every partition has been released up to the high watermark it had when the run started:
 *   records produced after that are not part of the question asked.
 *
 * It also counts what was read, for the progress bar and the summary.
 */
export class BoundedEventSource implements EventSource {
  readonly #inner: EventSource;
  readonly #options: BoundedSourceOptions;
  #reachedTo = false;
  #positions: InputOffsets;
  #stateEvents = 0;
  #windowEvents = 0;
  #latestEventTime: number | null = null;

  constructor(inner: EventSource, options: BoundedSourceOptions) {
    this.#inner = inner;
    this.#options = options;
    this.#positions = options.startOffsets;
  }

  start(from: InputOffsets | null): Promise<void> {
    return this.#inner.start(from);
  }

  async nextBatch(maxEvents: number, maxWaitMs: number): Promise<EventBatch> {
    const batch = await this.#inner.nextBatch(maxEvents, maxWaitMs);
    const { from, to } = this.#options;
    for (const { event } of batch.events) {
      if (event.eventTime < from) this.#stateEvents += 1;
      else if (to === null || event.eventTime < to) this.#windowEvents += 1;
      else this.#reachedTo = true;
      if (this.#latestEventTime === null || event.eventTime > this.#latestEventTime)
        this.#latestEventTime = event.eventTime;
    }
    this.#positions = { ...this.#positions, ...batch.nextOffsets };
    return batch;
  }

  /** True once every event the window depends on has been released (see the class comment). */
  get done(): boolean {
    if (this.#reachedTo) return true;
    return Object.entries(this.#options.endOffsets).every(
      ([key, end]) => BigInt(this.#positions[key] ?? '0') >= BigInt(end),
    );
  }

  /** Records released so far, summed over partitions (offsets past the start). */
  get recordsRead(): number {
    let read = 0n;
    for (const [key, start] of Object.entries(this.#options.startOffsets)) {
      const position = BigInt(this.#positions[key] ?? start);
      if (position > BigInt(start)) read += position - BigInt(start);
    }
    return Number(read);
  }

  /** Events before `from` (they only rebuilt the state) and events inside the window. */
  get counts(): { readonly stateEvents: number; readonly windowEvents: number } {
    return { stateEvents: this.#stateEvents, windowEvents: this.#windowEvents };
  }

  /** Event time of the latest event released, or null before the first. */
  get latestEventTime(): number | null {
    return this.#latestEventTime;
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
