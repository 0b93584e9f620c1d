import {
  createIndexEngine,
  type EngineOptions,
  type FxRateFilterOptions,
  type IndexEvent,
  type IndexLevel,
  type OfficialClose,
} from '@indexflow/index-engine';
import { datasetEvents } from './dataset-events.js';
import type { DatasetIssue } from './dataset-report.js';
import { filterFxEvents } from './filter-fx-events.js';
import { actionLineOf } from './read-actions.js';
import { readIndexDefinitions } from './read-indices.js';

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
  readonly engine?: EngineOptions;
  /**
   * Runs FX rates through the FX service's filter (order, jump band, USD cross) and applies the
   * HKDCNY rates it would publish, so the replay equals a live run behind the FX service.
   */
  readonly fxFilter?: FxRateFilterOptions;
  /** Monotonic milliseconds, for the summary's duration; injected so the core stays clock-free. */
  readonly now?: () => number;
}

/**
 * Replays a dataset directory through the index engine: the same engine and event order as the
 * live calculator, with files in place of Kafka. Bad rows and refused events are reported with
 * file and line and never change a level.
 */
export function replayDataset(datasetDir: string, options: ReplayOptions): ReplaySummary {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const definitions = readIndexDefinitions(datasetDir);
  const engine = createIndexEngine(definitions, options.engine ?? {});
  const byReason: Record<string, number> = {};
  const report = (issue: DatasetIssue) => {
    byReason[issue.reason] = (byReason[issue.reason] ?? 0) + 1;
    options.onIssue?.(issue);
  };
  const counts = { tick: 0, 'fx-rate': 0, 'index-adjustment': 0, session: 0 };
  let levels = 0;
  let closes = 0;
  let events = 0;
  const every = options.progressEvery ?? 100_000;
  const events$: Iterable<IndexEvent> =
    options.fxFilter === undefined
      ? datasetEvents(datasetDir, report)
      : filterFxEvents(datasetEvents(datasetDir, report), options.fxFilter, (rejection, quote) =>
          report({
            file: quote.position?.source ?? 'fx.csv',
            line: quote.position?.offset ?? 0,
            reason: rejection.reason,
            detail: rejection.detail,
          }),
        );
  for (const event of events$) {
    counts[event.kind] += 1;
    const result = engine.apply(event);
    if (result.closes !== undefined) {
      closes += result.closes.length;
      for (const close of result.closes) options.onClose?.(close);
    }
    for (const level of result.levels) options.onLevel(level);
    levels += result.levels.length;
    for (const rejection of result.rejections) {
      const actionLine =
        rejection.actionIndex === undefined ? undefined : actionLineOf(event, rejection.actionIndex);
      report({
        file: event.position?.source ?? 'dataset',
        line: actionLine ?? event.position?.offset ?? 0,
        reason: rejection.reason,
        detail: rejection.detail,
      });
    }
    events += 1;
    if (options.onProgress && events % every === 0) options.onProgress(events);
  }
  const rejected = Object.values(byReason).reduce((a, b) => a + b, 0);
  return {
    indices: definitions.length,
    ticks: counts.tick,
    fxRates: counts['fx-rate'],
    adjustments: counts['index-adjustment'],
    levels,
    closes,
    rejected,
    rejectedByReason: byReason,
    durationMs: now() - started,
  };
}
