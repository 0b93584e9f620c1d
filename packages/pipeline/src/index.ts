export { LevelConflation } from './level-conflation.js';
export { NoRecoveryStateStore } from './no-recovery-state-store.js';
export { canonicalOffsets, isBefore, isBehind, sameOffsets } from './offsets.js';
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
export { decideRestart, type RestartRecord } from './restart-decision.js';
export type { PipelineDeps, PipelineLogger } from './run-pipeline.js';
export { runPipeline } from './run-pipeline.js';
