import { type ProducedRecord, watermarkHeaders } from '@indexflow/kafka';

export interface WatermarkWriterOptions {
  readonly topics: readonly string[];
  readonly partitions: (topic: string) => number;
  readonly heartbeatMs: number;
  readonly now: () => number;
}

/**
 * The watermark records of one producing run, one per partition of every topic it writes (a
 * partition no symbol hashes to must still advance, or it would hold the calculator's merge
 * back). Heartbeats keep a paced run's partitions from being declared stale while it sleeps; after
 * the final watermark nothing more is written.
 */
export class WatermarkWriter {
  readonly #options: WatermarkWriterOptions;
  #lastAt = Number.NEGATIVE_INFINITY;
  #lastTime: number | undefined;
  #ended = false;

  constructor(options: WatermarkWriterOptions) {
    this.#options = options;
  }

  start(time: number): ProducedRecord[] {
    return this.#write(time, false);
  }

  /** Heartbeat records when `heartbeatMs` has passed since the last watermark; none otherwise. */
  heartbeat(time: number | undefined): ProducedRecord[] {
    if (time === undefined || this.#options.now() - this.#lastAt < this.#options.heartbeatMs) return [];
    return this.#write(time, false);
  }

  final(time: number): ProducedRecord[] {
    const records = this.#write(time, true);
    this.#ended = true;
    return records;
  }

  #write(time: number, final: boolean): ProducedRecord[] {
    if (this.#ended) return [];
    // A watermark never goes back: a heartbeat after a later start time would promise less.
    const at = this.#lastTime === undefined ? time : Math.max(time, this.#lastTime);
    this.#lastTime = at;
    this.#lastAt = this.#options.now();
    const headers = watermarkHeaders({ time: at, final });
    const records: ProducedRecord[] = [];
    for (const topic of this.#options.topics) {
      for (let partition = 0; partition < this.#options.partitions(topic); partition += 1)
        records.push({ topic, partition, key: null, value: null, headers });
    }
    return records;
  }
}
