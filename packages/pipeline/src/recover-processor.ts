import type { ProcessorFactory, SomeProcessor } from './event-processor.js';
import { sameOffsets } from './offsets.js';
import type { InputOffsets, LevelSink, StateStore } from './ports.js';
import type { PipelineLogger } from './run-pipeline.js';

export interface Recovery<P extends SomeProcessor> {
  readonly engine: P;
  /** State version the processor is at; the next batch stages version + 1. */
  readonly version: number;
  /** Where the source starts: the snapshot's offsets, or null for the earliest. */
  readonly from: InputOffsets | null;
  /** Set when rebuilding: output of input before these offsets was already published. */
  readonly alreadyPublished: InputOffsets | null;
  /**
   * The input watermark the committed run had advanced the processor to at Kafka's committed
   * offsets (`LevelSink.committedWatermark`), or null: a rebuild catches up to it there.
   */
  readonly watermarkPassed: number | null;
}

/**
 * Restores a processor to the point Kafka last committed. The state store normally holds that
 * snapshot. If it holds an older one (Redis restored from a file written before its last
 * commits), the processor resumes from it; if it lost it (Redis restarted without persistence)
 * or holds one Kafka never committed, it is rebuilt from the start of the input. Either way the
 * output already in Kafka is recomputed but not published again. Startup and crash recovery are
 * this one code path, and the only place that compares the store with Kafka.
 */
export async function recoverProcessor<P extends SomeProcessor>(deps: {
  readonly factory: ProcessorFactory<P>;
  readonly sink: Pick<LevelSink<unknown>, 'committedOffsets' | 'committedWatermark'>;
  readonly state: StateStore;
  readonly logger: PipelineLogger;
}): Promise<Recovery<P>> {
  const kafkaOffsets = await deps.sink.committedOffsets();
  const watermarkPassed = kafkaOffsets === null ? null : ((await deps.sink.committedWatermark?.()) ?? null);
  const snapshot = await deps.state.recover(kafkaOffsets);
  if (snapshot !== null && sameOffsets(snapshot.offsets, kafkaOffsets)) {
    deps.logger.info(
      { version: snapshot.version, offsets: snapshot.offsets },
      'state restored from snapshot',
    );
    return {
      engine: deps.factory.restore(snapshot.engine),
      version: snapshot.version,
      from: snapshot.offsets,
      alreadyPublished: null,
      watermarkPassed,
    };
  }
  if (snapshot !== null && kafkaOffsets !== null && notAhead(snapshot.offsets, kafkaOffsets)) {
    // The store came back older than Kafka (Redis restored from an AOF or RDB written before its
    // last commits): resume from it and recompute, without republishing, up to what Kafka has.
    deps.logger.warn(
      { version: snapshot.version, snapshotOffsets: snapshot.offsets, kafkaOffsets, watermarkPassed },
      'state snapshot behind Kafka: resuming from it without republishing up to the committed offsets',
    );
    return {
      engine: deps.factory.restore(snapshot.engine),
      version: snapshot.version,
      from: snapshot.offsets,
      alreadyPublished: kafkaOffsets,
      watermarkPassed,
    };
  }
  if (snapshot !== null) {
    // Ahead of Kafka, or of other partitions: nothing in the input can bring it back in line.
    deps.logger.warn(
      { version: snapshot.version, snapshotOffsets: snapshot.offsets, kafkaOffsets, watermarkPassed },
      'state snapshot ahead of or inconsistent with Kafka: rebuilding from the start of the input without republishing',
    );
    return {
      engine: deps.factory.fresh(),
      version: snapshot.version,
      from: null,
      alreadyPublished: kafkaOffsets,
      watermarkPassed,
    };
  }
  if (kafkaOffsets !== null) {
    deps.logger.warn(
      { kafkaOffsets, watermarkPassed },
      'no state snapshot: rebuilding from the start of the input without republishing',
    );
  } else {
    deps.logger.info({}, 'fresh start: no committed offsets and no snapshot');
  }
  return {
    engine: deps.factory.fresh(),
    version: 0,
    from: null,
    alreadyPublished: kafkaOffsets,
    watermarkPassed,
  };
}

/** Every partition of `snapshot` is at or before Kafka's committed offset for it. */
function notAhead(snapshot: InputOffsets, kafka: InputOffsets): boolean {
  return Object.entries(snapshot).every(([key, offset]) => {
    const committed = kafka[key];
    return committed !== undefined && BigInt(offset) <= BigInt(committed);
  });
}
