import type { IndexEvent, IndexLevel, OfficialClose } from '@indexflow/index-engine';
import type {
  InputOffsets,
  InputWatermark,
  LevelSink,
  OutputTransaction,
  RejectedRecord,
} from '@indexflow/pipeline';

/**
 * A LevelSink whose "topic" is an array: a commit appends all of a batch's levels and dead
 * letters and moves the committed offsets, or (when `failNext` is set) nothing at all, as an
 * aborted Kafka transaction would. `D`: the derived events' type (see OutputTransaction).
 */
export class InMemoryLevelSink<D = IndexEvent> implements LevelSink<D> {
  readonly levels: IndexLevel[] = [];
  readonly conflated: IndexLevel[] = [];
  readonly closes: OfficialClose[] = [];
  readonly deadLetters: RejectedRecord[] = [];
  readonly derived: D[] = [];
  readonly watermarks: InputWatermark[] = [];
  #offsets: InputOffsets | null = null;
  #passedWatermark: number | null = null;
  /** Makes the next commit fail before anything is visible (a crash inside the transaction). */
  failNext = false;

  async commit(transaction: OutputTransaction<D>, staged?: Promise<void>): Promise<void> {
    await staged;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('injected failure: transaction aborted');
    }
    this.levels.push(...transaction.levels);
    this.conflated.push(...transaction.conflated);
    this.closes.push(...(transaction.closes ?? []));
    this.deadLetters.push(...transaction.rejected);
    this.derived.push(...(transaction.derived ?? []));
    if (transaction.watermark !== undefined) this.watermarks.push(transaction.watermark);
    this.#offsets = transaction.offsets;
    this.#passedWatermark = transaction.passedWatermark ?? null;
  }

  async committedOffsets(): Promise<InputOffsets | null> {
    return this.#offsets;
  }

  /** As Kafka keeps it with the offsets: that of the last commit, null when it carried none. */
  async committedWatermark(): Promise<number | null> {
    return this.#passedWatermark;
  }

  async close(): Promise<void> {}
}
