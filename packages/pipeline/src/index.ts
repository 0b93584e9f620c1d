export type {
  EventProcessor,
  ProcessorFactory,
  ProcessorRejection,
  ProcessorResult,
  SomeProcessor,
} from './event-processor.js';
export { ConflationUnsupportedError, LevelConflation, type LevelHistory } from './level-conflation.js';
export { NoRecoveryStateStore } from './no-recovery-state-store.js';
export { canonicalOffsets, isBefore, isBehind, sameOffsets } from './offsets.js';
export {
  EventMerge,
  type EventMergeOptions,
  type EventOrdering,
  type MergeEntry,
  type MergeWatermark,
  type PartitionAssignment,
  type ReleasedRecords,
} from './order/event-merge.js';
export { MergeWaiter } from './order/merge-waiter.js';
export { canonicalTies, mergeOrdered } from './order/ordered-streams.js';
export {
  cutDetail,
  DETAIL_CHARS,
  errorText,
  PIPELINE_REJECT_REASONS,
  rejectSourced,
} from './pipeline-rejections.js';
export type { PipelineStats } from './pipeline-stats.js';
export { createPipelineStats } from './pipeline-stats.js';
export type {
  EventBatch,
  EventSource,
  FastLane,
  InputOffsets,
  InputWatermark,
  LevelSink,
  OutputTransaction,
  RejectedRecord,
  RestartTracker,
  RestartVerdict,
  SourcedEvent,
  StateSnapshot,
  StateStore,
} from './ports.js';
export { offsetKey } from './ports.js';
export type { Recovery } from './recover-engine.js';
export { recoverEngine } from './recover-engine.js';
export { recoverProcessor } from './recover-processor.js';
export { decideRestart, type RestartRecord } from './restart-decision.js';
export type { PipelineDeps, PipelineLogger } from './run-pipeline.js';
export { runPipeline } from './run-pipeline.js';
export { type RecoveredRunOptions, runRecovered } from './run-recovered.js';
export { WatermarkProgress } from './watermark-progress.js';
