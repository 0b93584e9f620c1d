import { datasetEvents, readIndexDefinitions } from '@indexflow/dataset-files';
import {
  createIndexEngine,
  type EngineOptions,
  type IndexDefinition,
  type IndexEngine,
} from '@indexflow/index-engine';
import { adjustmentEventTime } from './adjustment-time.js';

/**
 * The engine state at the last event before 00:00 Asia/Shanghai of `date`: the previous close,
 * with every earlier action applied. Replays the dataset with the same engine as everywhere else.
 */
export function engineBeforeDate(
  datasetDir: string,
  date: string,
  options: EngineOptions = {},
): { definitions: IndexDefinition[]; engine: IndexEngine } {
  const definitions = readIndexDefinitions(datasetDir);
  const engine = createIndexEngine(definitions, options);
  const cutoff = adjustmentEventTime(date);
  for (const event of datasetEvents(datasetDir, () => {})) {
    if (event.eventTime >= cutoff) break;
    engine.apply(event);
  }
  return { definitions, engine };
}
