import { type EngineOptions, type IndexDefinition, IndexEngine } from '@indexflow/index-engine';
import type { InputOffsets, LevelSink, StateStore } from './ports.js';
import type { PipelineLogger } from './run-pipeline.js';

export interface Recovery {
  readonly engine: IndexEngine;
  /** State version the engine is at; the next batch stages version + 1. */
  readonly version: number;
  /** Where the source starts: the snapshot's offsets, or null for the earliest. */
  readonly from: InputOffsets | null;
  /** Set when rebuilding: levels of input before these offsets were already published. */
  readonly alreadyPublished: InputOffsets | null;
}

/**
 * Restores the engine to the point Kafka last committed. The state store normally holds that
 * snapshot; if it lost it (e.g. Redis restarted without persistence), the engine is rebuilt from
 * the start of the input and the levels already in Kafka are recomputed but not published again.
 * Startup and crash recovery are this one code path.
 */
export async function recoverEngine(deps: {
  readonly definitions: readonly IndexDefinition[];
  readonly engineOptions: EngineOptions;
  readonly sink: LevelSink;
  readonly state: StateStore;
  readonly logger: PipelineLogger;
}): Promise<Recovery> {
  const kafkaOffsets = await deps.sink.committedOffsets();
  const snapshot = await deps.state.recover(kafkaOffsets);
  if (snapshot !== null) {
    deps.logger.info(
      { version: snapshot.version, offsets: snapshot.offsets },
      'state restored from snapshot',
    );
    return {
      engine: IndexEngine.restore(deps.definitions, snapshot.engine, deps.engineOptions),
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
  return {
    engine: new IndexEngine(deps.definitions, deps.engineOptions),
    version: 0,
    from: null,
    alreadyPublished: kafkaOffsets,
  };
}
