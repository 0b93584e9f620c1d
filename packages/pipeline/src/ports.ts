import type { IndexEvent, IndexLevel, OfficialClose, Rejection } from '@indexflow/index-engine';

/**
 * Input positions as Kafka commits them: for each `topic:partition`, the NEXT offset to read
 * (last processed + 1), as a decimal string. The snapshot in the state store and the consumer
 * group's committed offsets use exactly this shape, so they can be compared for equality.
 */
export type InputOffsets = Readonly<Record<string, string>>;

export function offsetKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/** A record that could not become an event (undecodable, wrong schema) or that the engine refused. */
export interface RejectedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly reason: string;
  readonly detail: string;
  /**
   * The event refused, when the record was decoded (absent for an undecodable one). Dead letters
   * never carry it; a file sink reports its position (file and line) from it. Of the pipeline's
   * input event type, which the record does not name.
   */
  readonly event?: unknown;
  /** Which action of a multi-action event the engine refused (`Rejection.actionIndex`). */
  readonly actionIndex?: number;
}

/**
 * An event decoded from one input record, with where it came from. `E` is the input's event type:
 * the index events of the calculator and the FX filter by default, or another stage's own (the
 * corporate-actions register reads announcements).
 */
export interface SourcedEvent<E = IndexEvent> {
  readonly event: E;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Wall-clock ms when the record was received (latency metrics only; never affects levels). */
  readonly receivedAt: number;
}

/**
 * A batch of decoded events in canonical order (`compareEvents`), the records that failed to
 * decode, and the input offsets after the batch. Sources merge partitions so that the same
 * records always come out in the same order.
 */
export interface EventBatch<E = IndexEvent> {
  readonly events: readonly SourcedEvent<E>[];
  readonly undecodable: readonly RejectedRecord[];
  readonly nextOffsets: InputOffsets;
  /**
   * The input's progress once this batch is taken: no later event can have an earlier time.
   * Present only when every input partition has stated its progress (see InputWatermark).
   */
  readonly watermark?: InputWatermark;
  /**
   * The key of `nextOffsets` that holds a clock's position rather than a partition's: a source
   * that emits clock ticks (scheduled output, see the corporate-actions register) moves it with
   * each tick, so that a transaction publishing what a tick made due moves the offsets Kafka
   * commits and the state store can tell it happened. A batch that publishes nothing and moves
   * nothing but this key commits nothing (the position moves with the next transaction).
   */
  readonly clock?: string;
}

/**
 * What an input's producers promise about everything the source has not released yet: no later
 * event has an event time before `time`. `final` when every producer's run ended there.
 */
export interface InputWatermark {
  readonly time: number;
  readonly final: boolean;
  /**
   * Per `topic:partition`, the offset of the watermark record the promise rests on: after a
   * rebuild, a watermark whose records all lie before the committed point was published already.
   */
  readonly records: InputOffsets;
}

export interface EventSource<E = IndexEvent> {
  /** Starts consuming from `from` (or the earliest offsets when null). */
  start(from: InputOffsets | null): Promise<void>;
  /** Waits up to `maxWaitMs` and returns at most `maxEvents` events (possibly none). */
  nextBatch(maxEvents: number, maxWaitMs: number): Promise<EventBatch<E>>;
  close(): Promise<void>;
}

/**
 * What one batch publishes, atomically: levels, dead letters and the input offsets they consumed.
 * `D` is the type of the derived events (FX rates by default).
 */
export interface OutputTransaction<D = IndexEvent> {
  readonly levels: readonly IndexLevel[];
  /** The subset of `levels` for the conflated topic (see LevelConflation); empty when off. */
  readonly conflated: readonly IndexLevel[];
  /** Official closes the engine emitted in the batch (compacted closes topic); absent or empty: none. */
  readonly closes?: readonly OfficialClose[];
  readonly rejected: readonly RejectedRecord[];
  readonly offsets: InputOffsets;
  /** Events the processor derived for downstream stages (e.g. filtered FX rates); absent: none. */
  readonly derived?: readonly D[];
  /** The input watermark the output has passed, when it moved in this transaction (see EventBatch). */
  readonly watermark?: InputWatermark;
  /**
   * The watermark time the processor had been advanced to at `offsets` (every close due before it
   * is in this transaction or an earlier one), in every transaction once there is one. A sink that
   * can keeps it with the committed offsets and reads it back in `committedWatermark`, so that a
   * rebuild never publishes those closes again (see PassedWatermark).
   */
  readonly passedWatermark?: number;
}

export interface LevelSink<D = IndexEvent> {
  /**
   * Publishes a batch's output and input offsets in one transaction; all or nothing. `staged` is
   * the state store's stage of the snapshot at these offsets, still running: the sink may send
   * meanwhile (the two are independent round trips) but must not commit before it resolves, and
   * fails without committing when it rejects.
   */
  commit(transaction: OutputTransaction<D>, staged?: Promise<void>): Promise<void>;
  /** The offsets last committed for the calculator's consumer group (the recovery point), or null. */
  committedOffsets(): Promise<InputOffsets | null>;
  /**
   * The `passedWatermark` of the transaction that committed those offsets, or null when it carried
   * none (or the sink keeps none). Absent: the sink keeps none.
   */
  committedWatermark?(): Promise<number | null>;
  close(): Promise<void>;
}

/**
 * Optional lowest-latency output: levels as soon as they are computed, before their transaction.
 * `publish` resolves once they (and all levels published before them) are acknowledged; the
 * pipeline commits a batch only after that, so the lane has no gap. At least once: after a crash
 * the levels recomputed from the committed point are published again.
 */
export interface FastLane {
  publish(levels: readonly IndexLevel[]): Promise<void>;
}

/** The engine state at a point in the input, as the state store keeps it. */
export interface StateSnapshot {
  readonly version: number;
  readonly offsets: InputOffsets;
  /** `IndexEngine.snapshot()`: JSON-serialisable, decimals as strings. */
  readonly engine: unknown;
}

/**
 * Two-phase state store keyed by calculator id. `stage` writes a pending snapshot (refused unless
 * the committed version is `version - 1`); after the Kafka transaction commits, `promote` makes it
 * the committed one. On restart `recover(kafkaOffsets)` promotes a pending snapshot whose offsets
 * equal what Kafka committed (the crash came between the two steps) and discards any other, then
 * returns the committed snapshot, wherever it sits: `recoverProcessor` compares it with Kafka's
 * offsets (in sync, behind after a restore from an older file, or unusable). Kafka's transaction
 * is the single decider.
 */
export interface StateStore {
  /**
   * False for a store that keeps nothing (a run that never resumes, such as the offline replay):
   * the pipeline then takes no engine snapshot and stages `engine: null`. Absent: true.
   */
  readonly keepsSnapshots?: boolean;
  stage(snapshot: StateSnapshot): Promise<void>;
  promote(version: number): Promise<void>;
  recover(kafkaOffsets: InputOffsets | null): Promise<StateSnapshot | null>;
  close(): Promise<void>;
}

/**
 * How a run starts: `normal` batches; `isolate`: one record per transaction (the last crashes
 * happened at one offset, inside some batch); `poison`: the previous isolated run crashed on the
 * first record after the committed offset, which is dead-lettered as `poison_pill`.
 */
export interface RestartVerdict {
  readonly mode: 'normal' | 'isolate' | 'poison';
  /** Runs in a row that crashed at this start point (0 after a clean stop). */
  readonly crashes: number;
}

/**
 * Durable count of runs that crashed at the same committed offsets, for poison-pill detection
 * (see decideRestart). `begin` is called once a run knows where it starts, `isolationDone` when
 * an isolated run has committed its isolated records, `end` when a run stops cleanly (the count
 * is cleared) and `outage` when it fails for a reason that is not its input's (a retriable Kafka,
 * Redis or registry error: the run does not count, the count so far stands).
 */
export interface RestartTracker {
  begin(from: InputOffsets | null): Promise<RestartVerdict>;
  isolationDone(): Promise<void>;
  end(): Promise<void>;
  outage(): Promise<void>;
}

export type { IndexEvent, IndexLevel, Rejection };
