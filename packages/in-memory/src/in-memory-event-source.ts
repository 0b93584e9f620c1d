import type { IndexEvent } from '@indexflow/index-engine';
import { type EventBatch, type EventSource, type InputOffsets, offsetKey } from '@indexflow/pipeline';

/**
 * An EventSource over an in-process, already ordered log of events on one partition: the
 * embedded run and unit tests use it where the live service uses Kafka. Offsets are positions
 * in the array, so restarts behave as they do on a Kafka partition.
 */
export class InMemoryEventSource implements EventSource {
  readonly #key: string;
  #cursor = 0;

  constructor(
    private readonly events: readonly IndexEvent[],
    private readonly topic = 'in-memory',
    private readonly partition = 0,
  ) {
    this.#key = offsetKey(topic, partition);
  }

  async start(from: InputOffsets | null): Promise<void> {
    this.#cursor = Number(from?.[this.#key] ?? 0);
  }

  async nextBatch(maxEvents: number): Promise<EventBatch> {
    const slice = this.events.slice(this.#cursor, this.#cursor + maxEvents);
    const start = this.#cursor;
    this.#cursor += slice.length;
    return {
      events: slice.map((event, i) => ({
        event,
        topic: this.topic,
        partition: this.partition,
        offset: String(start + i),
        key: null,
        value: null,
        receivedAt: 0,
      })),
      undecodable: [],
      nextOffsets: { [this.#key]: String(this.#cursor) },
    };
  }

  get exhausted(): boolean {
    return this.#cursor >= this.events.length;
  }

  async close(): Promise<void> {}
}
