import { datasetEvents, filterFxEvents, formatIssue, readIndexDefinitions } from '@indexflow/dataset-files';
import type { IndexDefinition, IndexEvent, Rejection } from '@indexflow/index-engine';

export interface RecordedDayOptions {
  /** A dataset in the `indexflow replay` format (indices/, ticks.csv, fx.csv, actions.csv). */
  readonly datasetDir: string;
  /** The FX filter's jump band, a fraction (the FX service's FX_MAX_JUMP). */
  readonly fxMaxJump: string;
  readonly log: (line: string) => void;
}

/**
 * The calculator's input for a recorded dataset (`pnpm start --replay`): its indices, and its
 * ticks, actions and FX quotes in canonical order, the quotes through the FX filter. Nothing is
 * simulated or written: the same directory is what `indexflow replay` reads.
 */
export function recordedDay(options: RecordedDayOptions): {
  definitions: IndexDefinition[];
  events: IndexEvent[];
} {
  const { datasetDir, log } = options;
  const definitions = readIndexDefinitions(datasetDir);
  const fxRefused = new Map<string, number>();
  const onFxRefused = (rejection: Rejection) =>
    fxRefused.set(rejection.reason, (fxRefused.get(rejection.reason) ?? 0) + 1);
  const market = datasetEvents(datasetDir, (issue) => log(formatIssue(issue)));
  const events = [...filterFxEvents(market, { maxJump: options.fxMaxJump }, onFxRefused)];
  const refusedText = [...fxRefused].map(([reason, n]) => `${reason}=${n}`).join(' ');
  log(
    `embedded: ${definitions.length} indices, ${events.length.toLocaleString('en-US')} events read from ${datasetDir}; FX filter (max jump ${options.fxMaxJump}) refused ${[...fxRefused.values()].reduce((a, b) => a + b, 0)}${refusedText ? ` (${refusedText})` : ''}`,
  );
  return { definitions, events };
}
