import type { IndexEngine } from '@indexflow/index-engine';
import { createPipelineStats, NoRecoveryStateStore, runPipeline } from '@indexflow/pipeline';
import type { DatasetEventSource } from './dataset-event-source.js';
import type { DatasetLevelSink } from './dataset-level-sink.js';

/**
 * Events per batch. A dataset is read synchronously, so a batch is cut only where a bad row was
 * reported or at this size; large, so the run takes few engine snapshots (one per commit).
 */
export const DATASET_BATCH_SIZE = 8192;

const SILENT = { info() {}, warn() {} };

/**
 * Runs the one pipeline (`runPipeline`) over a dataset: `engine` applies every event of `source`
 * in order, `sink` takes the levels, closes and reports, and the run ends with the input. There
 * is no state to recover: a dataset is always replayed from its start.
 */
export async function runDatasetPipeline(
  engine: IndexEngine,
  source: DatasetEventSource,
  sink: DatasetLevelSink,
): Promise<void> {
  await source.start(null);
  try {
    await runPipeline({
      engine,
      source,
      sink,
      state: new NoRecoveryStateStore(),
      stats: createPipelineStats(),
      logger: SILENT,
      batchSize: DATASET_BATCH_SIZE,
      batchWaitMs: 0,
      startVersion: 0,
      alreadyPublished: null,
      isStopping: () => source.done,
    });
  } finally {
    await source.close();
  }
}
