import type { IndexLevel } from '@indexflow/index-engine';
import {
  type AvroSerdes,
  type IndexLevelRecord,
  levelToRecord,
  type RecordHeaders,
  type RecordTransaction,
  type TransactionalRecordProducer,
} from '@indexflow/kafka';
import type { InputOffsets, LevelSink, OutputTransaction } from '@indexflow/pipeline';
import { levelInWindow, type RecomputeWindow } from './recompute-window.js';

/** Record headers that tell one recompute run's levels from another's on the shared output topic. */
export const RECOMPUTE_HEADERS = {
  run: 'indexflow-recompute-run',
  from: 'indexflow-recompute-from',
  to: 'indexflow-recompute-to',
} as const;

export interface RecomputeLevelSinkOptions {
  /** A transactional producer of either client; the sink owns its transaction, not its lifetime. */
  readonly producer: TransactionalRecordProducer;
  readonly serdes: AvroSerdes<IndexLevelRecord>;
  readonly window: RecomputeWindow;
  readonly runId: string;
  /** Also receives every published level, in publication order (the optional levels CSV). */
  readonly onLevel?: (level: IndexLevel) => void;
}

/**
 * The recompute's LevelSink: the pipeline hands it every level the rebuild computes; it keeps only
 * the window's and sends them to the output topic inside ONE Kafka transaction for the whole run,
 * so read_committed readers see a run complete or not at all (an interrupted or failed run is
 * aborted). Dead letters and input offsets are dropped: the live calculator already reported the
 * rejections, and a recompute commits no consumer offsets, so it never moves the live group.
 */
export class RecomputeLevelSink implements LevelSink {
  readonly #options: RecomputeLevelSinkOptions;
  readonly #headers: RecordHeaders;
  #transaction: RecordTransaction | undefined;
  #published = 0;
  readonly #byIndex = new Map<string, number>();

  constructor(options: RecomputeLevelSinkOptions) {
    this.#options = options;
    const { window } = options;
    this.#headers = {
      [RECOMPUTE_HEADERS.run]: options.runId,
      [RECOMPUTE_HEADERS.from]: new Date(window.from).toISOString(),
      [RECOMPUTE_HEADERS.to]: window.to === null ? '' : new Date(window.to).toISOString(),
    };
  }

  async commit(transaction: OutputTransaction, staged?: Promise<void>): Promise<void> {
    await staged;
    const levels = transaction.levels.filter((level) => levelInWindow(this.#options.window, level));
    if (levels.length === 0) return;
    const { serdes } = this.#options;
    const records = await Promise.all(
      levels.map(async (level) => ({
        topic: serdes.topic,
        key: level.indexId,
        value: await serdes.serialize(levelToRecord(level)),
        headers: this.#headers,
      })),
    );
    this.#transaction ??= await this.#options.producer.begin();
    await this.#transaction.send(records);
    for (const level of levels) {
      this.#options.onLevel?.(level);
      this.#byIndex.set(level.indexId, (this.#byIndex.get(level.indexId) ?? 0) + 1);
    }
    this.#published += levels.length;
  }

  /** A recompute starts from the beginning of the input and publishes every level of its window. */
  async committedOffsets(): Promise<InputOffsets | null> {
    return null;
  }

  /** Commits the run's transaction: its levels become visible to read_committed readers at once. */
  async finish(): Promise<void> {
    const transaction = this.#transaction;
    this.#transaction = undefined;
    await transaction?.commit();
  }

  /** Aborts the run's transaction; returns how many levels it discarded. */
  async abort(): Promise<number> {
    const transaction = this.#transaction;
    this.#transaction = undefined;
    await transaction?.abort();
    return this.#published;
  }

  /** Levels sent so far, and per index. */
  get published(): { readonly total: number; readonly byIndex: ReadonlyMap<string, number> } {
    return { total: this.#published, byIndex: this.#byIndex };
  }

  async close(): Promise<void> {}
}
