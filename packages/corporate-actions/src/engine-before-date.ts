import {
  DatasetEventSource,
  DatasetLevelSink,
  readIndexDefinitions,
  runDatasetPipeline,
} from '@indexflow/dataset-files';
import {
  createIndexEngine,
  type EngineOptions,
  type IndexDefinition,
  type IndexEngine,
} from '@indexflow/index-engine';
import { adjustmentEventTime } from './adjustment-time.js';

/**
 * The engine state at the last event before 00:00 Asia/Shanghai of `date`: the previous close,
 * with every earlier action applied. Replays the dataset up to there through the same pipeline and
 * engine as everywhere else; its levels and reports are not needed.
 */
export async function engineBeforeDate(
  datasetDir: string,
  date: string,
  options: EngineOptions = {},
): Promise<{ definitions: IndexDefinition[]; engine: IndexEngine }> {
  const definitions = readIndexDefinitions(datasetDir);
  const engine = createIndexEngine(definitions, options);
  const source = new DatasetEventSource(datasetDir, { before: adjustmentEventTime(date) });
  await runDatasetPipeline(engine, source, new DatasetLevelSink({ onLevel: () => {} }));
  return { definitions, engine };
}
