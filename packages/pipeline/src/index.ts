export { offsetKey } from './ports.js';
export type {
  InputOffsets,
  RejectedRecord,
  SourcedEvent,
  EventBatch,
  EventSource,
  OutputTransaction,
  LevelSink,
  StateSnapshot,
  StateStore,
} from './ports.js';
export { canonicalOffsets, sameOffsets, isBefore } from './offsets.js';
export { createPipelineStats } from './pipeline-stats.js';
export type { PipelineStats } from './pipeline-stats.js';
export { runPipeline } from './run-pipeline.js';
export type { PipelineDeps, PipelineLogger } from './run-pipeline.js';
export { recoverEngine } from './recover-engine.js';
export type { Recovery } from './recover-engine.js';
