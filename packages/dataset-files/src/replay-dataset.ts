import {
  createIndexEngine,
  type EngineOptions,
  type FxRateFilterOptions,
  type IndexLevel,
  type OfficialClose,
} from '@indexflow/index-engine';
import { DEFAULT_CALENDAR } from '@indexflow/market-calendar';
import { DatasetEventSource } from './dataset-event-source.js';
import { DatasetLevelSink } from './dataset-level-sink.js';
import type { DatasetIssue } from './dataset-report.js';
import { readIndexDefinitions } from './read-indices.js';
import { runDatasetPipeline } from './run-dataset-pipeline.js';

export interface ReplaySummary {
  readonly indices: number;
  readonly ticks: number;
  readonly fxRates: number;
  readonly adjustments: number;
  readonly levels: number;
  readonly closes: number;
  readonly rejected: number;
  readonly rejectedByReason: Record<string, number>;
  readonly durationMs: number;
}

export interface ReplayOptions {
  readonly onLevel: (level: IndexLevel) => void;
  /** Each official close, as the engine emits it (see OfficialClose). */
  readonly onClose?: (close: OfficialClose) => void;
  readonly onIssue?: (issue: DatasetIssue) => void;
  /** Called every `progressEvery` events with the count so far. */
  readonly onProgress?: (eventsSoFar: number) => void;
  readonly progressEvery?: number;
  /** The engine's options; its `calendar` defaults to the bundled years. */
  readonly engine?: EngineOptions;
  /**
   * The first tick of each venue and year the calendar does not cover (its weekdays are then
   * regular sessions, as in the live calculator): a warning for the user, with file and line.
   */
  readonly onCalendarGap?: (gap: { readonly at: string; readonly detail: string }) => void;
  /**
   * Runs FX rates through the FX service's filter (order, jump band, USD cross) and applies the
   * HKDCNY rates it would publish, so the replay equals a live run behind the FX service.
   */
  readonly fxFilter?: FxRateFilterOptions;
  /** Monotonic milliseconds, for the summary's duration; injected so the core stays clock-free. */
  readonly now?: () => number;
}

/**
 * Replays a dataset directory through the index engine: the pipeline the live calculator runs
 * (`runPipeline`), with the dataset files as its event source and the level callbacks as its sink.
 * Bad rows and refused events are reported with file and line and never change a level.
 */
export async function replayDataset(datasetDir: string, options: ReplayOptions): Promise<ReplaySummary> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const definitions = readIndexDefinitions(datasetDir);
  const calendar = options.engine?.calendar ?? DEFAULT_CALENDAR;
  const engine = createIndexEngine(definitions, { ...options.engine, calendar });
  const byReason: Record<string, number> = {};
  const source = new DatasetEventSource(datasetDir, {
    calendar,
    ...(options.onCalendarGap === undefined ? {} : { onCalendarGap: options.onCalendarGap }),
    ...(options.fxFilter === undefined ? {} : { fxFilter: options.fxFilter }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.progressEvery === undefined ? {} : { progressEvery: options.progressEvery }),
  });
  const sink = new DatasetLevelSink({
    onLevel: options.onLevel,
    ...(options.onClose === undefined ? {} : { onClose: options.onClose }),
    onIssue: (issue) => {
      byReason[issue.reason] = (byReason[issue.reason] ?? 0) + 1;
      options.onIssue?.(issue);
    },
  });
  await runDatasetPipeline(engine, source, sink);
  const rejected = Object.values(byReason).reduce((a, b) => a + b, 0);
  return {
    indices: definitions.length,
    ticks: source.counts.tick,
    fxRates: source.counts['fx-rate'],
    adjustments: source.counts['index-adjustment'],
    levels: sink.levels,
    closes: sink.closes,
    rejected,
    rejectedByReason: byReason,
    durationMs: now() - started,
  };
}
