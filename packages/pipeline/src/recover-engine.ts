import { type EngineOptions, type IndexDefinition, IndexEngine } from '@indexflow/index-engine';
import type { LevelSink, StateStore } from './ports.js';
import { type Recovery as ProcessorRecovery, recoverProcessor } from './recover-processor.js';
import type { PipelineLogger } from './run-pipeline.js';

/** The calculator's recovery: an index engine (see recoverProcessor). */
export type Recovery = ProcessorRecovery<IndexEngine>;

/**
 * Restores the index engine to the point Kafka last committed (recoverProcessor with the engine's
 * factory): from the state store's snapshot, or rebuilt from the start of the input.
 */
export function recoverEngine(deps: {
  readonly definitions: readonly IndexDefinition[];
  readonly engineOptions: EngineOptions;
  readonly sink: LevelSink;
  readonly state: StateStore;
  readonly logger: PipelineLogger;
}): Promise<Recovery> {
  const { definitions, engineOptions } = deps;
  return recoverProcessor({
    factory: {
      fresh: () => new IndexEngine(definitions, engineOptions),
      restore: (snapshot) => IndexEngine.restore(definitions, snapshot, engineOptions),
    },
    sink: deps.sink,
    state: deps.state,
    logger: deps.logger,
  });
}
