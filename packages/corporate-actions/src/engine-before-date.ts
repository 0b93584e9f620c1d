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
  type OfficialClose,
} from '@indexflow/index-engine';
import { DEFAULT_CALENDAR } from '@indexflow/market-calendar';
import { adjustmentEventTime } from './adjustment-time.js';

/**
 * The engine state at the last event before 00:00 Asia/Shanghai of `date`: the previous close,
 * with every earlier action applied, and each index's last official close before `date`. Replays
 * the dataset up to there through the same pipeline and engine as everywhere else; its levels and
 * reports are not needed.
 */
export async function engineBeforeDate(
  datasetDir: string,
  date: string,
  options: EngineOptions & {
    /** The first tick of a year the calendar does not cover, per venue (see CalendarCoverage). */
    readonly onCalendarGap?: (gap: { readonly at: string; readonly detail: string }) => void;
  } = {},
): Promise<{ definitions: IndexDefinition[]; engine: IndexEngine; closes: Map<string, OfficialClose> }> {
  const definitions = readIndexDefinitions(datasetDir);
  const calendar = options.calendar ?? DEFAULT_CALENDAR;
  const { onCalendarGap, ...engineOptions } = options;
  const engine = createIndexEngine(definitions, { ...engineOptions, calendar });
  const source = new DatasetEventSource(datasetDir, {
    before: adjustmentEventTime(date),
    calendar,
    ...(onCalendarGap === undefined ? {} : { onCalendarGap }),
  });
  const closes = new Map<string, OfficialClose>();
  const sink = new DatasetLevelSink({
    onLevel: () => {},
    onClose: (close) => closes.set(close.indexId, close),
  });
  await runDatasetPipeline(engine, source, sink);
  return { definitions, engine, closes };
}
