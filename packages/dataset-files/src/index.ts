export { CalendarCoverage } from './calendar-coverage.js';
export {
  CALENDAR_FILES_VARIABLE,
  CalendarLoadError,
  calendarFileList,
  calendarFromEnv,
  commandCalendarFiles,
  loadMarketCalendar,
  readCalendarFiles,
} from './calendar-files.js';
export { CLOSES_CSV_HEADER, ClosesFileWriter, formatCloseRow } from './closes-file-writer.js';
export { csvField, csvRow } from './csv-field.js';
export { splitCsvLine } from './csv-line.js';
export type { DatasetEventSourceOptions } from './dataset-event-source.js';
export { DatasetEventSource, DatasetResumeError } from './dataset-event-source.js';
export { datasetEvents } from './dataset-events.js';
export type { DatasetLevelSinkOptions } from './dataset-level-sink.js';
export { DatasetLevelSink, issueOf } from './dataset-level-sink.js';
export type { DatasetIssue } from './dataset-report.js';
export { DatasetError, formatIssue, IndexFileError } from './dataset-report.js';
export { filterFxEvents } from './filter-fx-events.js';
export { formatLevelRow, LEVEL_DECIMALS, LEVELS_CSV_HEADER, LevelsCsvWriter } from './levels-csv-writer.js';
export type { FileLine, OverlongLine } from './line-reader.js';
export { MAX_LINE_BYTES, overlongDetail, readLines } from './line-reader.js';
export { readActions } from './read-actions.js';
export { parseIndexDefinition, readIndexDefinitions, validateIndexDefinition } from './read-indices.js';
export { DEFAULT_FX_SOURCE, readFxRates, readTicks } from './read-market-events.js';
export type { ReplayOptions, ReplaySummary } from './replay-dataset.js';
export { replayDataset } from './replay-dataset.js';
export { DATASET_BATCH_SIZE, runDatasetPipeline } from './run-dataset-pipeline.js';
export { TimeSequencer } from './time-sequence.js';
export {
  EARLIEST_TIME,
  formatUtc,
  isPlausibleTime,
  LATEST_TIME,
  parseTimestamp,
  shanghaiDate,
  shanghaiMidnight,
  TIME_WINDOW,
} from './timestamps.js';
