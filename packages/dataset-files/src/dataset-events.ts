import type { IndexEvent } from '@indexflow/index-engine';
import { canonicalTies, mergeOrdered } from '@indexflow/pipeline';
import type { DatasetIssue } from './dataset-report.js';
import { readActions } from './read-actions.js';
import { readFxRates, readTicks } from './read-market-events.js';

/**
 * The dataset as one stream in canonical order (`compareEvents`): FX and ticks merged (FX first
 * at equal times, simultaneous rows by symbol), each ex-date's actions at 00:00 Asia/Shanghai
 * before any event of that date. The engine opens each new trading date by itself.
 */
export function* datasetEvents(
  datasetDir: string,
  report: (issue: DatasetIssue) => void,
): Generator<IndexEvent> {
  const actions = readActions(datasetDir, report);
  const fx = canonicalTies(readFxRates(datasetDir, report));
  const ticks = canonicalTies(readTicks(datasetDir, report));
  // Actions first on a full tie: compareEvents ranks adjustments first already; the stream order
  // keeps an ex-date's events in file order.
  yield* mergeOrdered([actions, fx, ticks]);
}
