import type { ProcessorFactory, SomeProcessor } from './event-processor.js';
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
}

/**
 * Restores a processor to the point Kafka last committed. The state store normally holds that
 * snapshot; if it lost it (e.g. Redis restarted without persistence), the processor is rebuilt
 * from the start of the input and the output already in Kafka is recomputed but not published
 * again. Startup and crash recovery are this one code path.
 */
export async function recoverProcessor<P extends SomeProcessor>(deps: {
  readonly factory: ProcessorFactory<P>;
  readonly sink: Pick<LevelSink<unknown>, 'committedOffsets'>;
  readonly state: StateStore;
  readonly logger: PipelineLogger;
}): Promise<Recovery<P>> {
  const kafkaOffsets = await deps.sink.committedOffsets();
  const snapshot = await deps.state.recover(kafkaOffsets);
  if (snapshot !== null) {
    deps.logger.info(
      { version: snapshot.version, offsets: snapshot.offsets },
      'state restored from snapshot',
    );
    return {
      engine: deps.factory.restore(snapshot.engine),
      version: snapshot.version,
      from: snapshot.offsets,
      alreadyPublished: null,
    };
  }
  if (kafkaOffsets !== null) {
    deps.logger.warn(
      { kafkaOffsets },
      'no state snapshot: rebuilding from the start of the input without republishing',
    );
  } else {
    deps.logger.info({}, 'fresh start: no committed offsets and no snapshot');
  }
  return { engine: deps.factory.fresh(), version: 0, from: null, alreadyPublished: kafkaOffsets };
}
