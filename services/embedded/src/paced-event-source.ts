import type { EventBatch, EventSource, InputOffsets } from '@indexflow/pipeline';

/**
 * Wraps a source so event time plays back at `speed` × wall-clock time: a batch is released only
 * when the wall clock has caught up with its first event. A quiet stretch that would take longer
 * than `maxQuietMs` of wall time (the night, the hours between a 00:00 adjustment and the open) is
 * skipped rather than waited out. Pacing changes when levels appear, never what they are. Clock
 * and sleep are injected so tests and the engine stay clock-free.
 */
export class PacedEventSource implements EventSource {
  #origin: { eventTime: number; wall: number } | null = null;

  constructor(
    private readonly inner: EventSource,
    private readonly speed: number | 'max',
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly maxQuietMs = 1000,
  ) {}

  start(from: InputOffsets | null): Promise<void> {
    return this.inner.start(from);
  }

  async nextBatch(maxEvents: number, maxWaitMs: number): Promise<EventBatch> {
    const batch = await this.inner.nextBatch(maxEvents, maxWaitMs);
    const first = batch.events[0];
    if (this.speed !== 'max' && first !== undefined) {
      const eventTime = first.event.eventTime;
      this.#origin ??= { eventTime, wall: this.now() };
      const due = this.#origin.wall + (eventTime - this.#origin.eventTime) / this.speed;
      const wait = due - this.now();
      if (wait > this.maxQuietMs) this.#origin = { eventTime, wall: this.now() };
      else if (wait > 0) await this.sleep(wait);
    }
    return batch;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
