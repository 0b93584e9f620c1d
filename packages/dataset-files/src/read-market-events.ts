import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cut, echo, type FxRateEvent, type TickEvent } from '@indexflow/index-engine';
import { columnIndex } from './csv-header.js';
import { splitCsvLine } from './csv-line.js';
import type { DatasetIssue } from './dataset-report.js';
import { overlongDetail, readLines } from './line-reader.js';
import { TimeSequencer } from './time-sequence.js';
import { parseTimestamp, TIME_WINDOW } from './timestamps.js';

interface TimedRowSpec<E> {
  readonly file: string;
  /** Required columns after `ts`; the row's text in each is non-empty. */
  readonly columns: readonly string[];
  readonly optional?: readonly string[];
  /** A further check of a row; a returned string is the detail of a malformed_row report. */
  readonly check?: (row: Record<string, string | undefined>) => string | null;
  readonly toEvent: (row: Record<string, string | undefined>, eventTime: number, line: number) => E;
}

/**
 * Streams a timed CSV (`ts` first among its required columns) as events. Rows must be in time
 * order: a row earlier than the last accepted one is reported as out_of_order and skipped, as is
 * a row with a missing field or an unparseable `ts`.
 */
function* readTimedRows<E>(
  path: string,
  spec: TimedRowSpec<E>,
  report: (issue: DatasetIssue) => void,
): Generator<E> {
  const required = ['ts', ...spec.columns];
  let columns: Partial<Record<string, number>> | null = null;
  let last = Number.NEGATIVE_INFINITY;
  for (const { line, lineNumber, overlong } of readLines(path)) {
    if (line === null) {
      report({
        file: spec.file,
        line: lineNumber,
        reason: 'malformed_row',
        detail: overlongDetail(overlong),
      });
      continue;
    }
    if (line.length === 0) continue;
    const fields = splitCsvLine(line);
    if (columns === null) {
      columns = columnIndex(path, fields, required, spec.optional ?? []);
      continue;
    }
    const row: Record<string, string | undefined> = {};
    for (const [name, position] of Object.entries(columns))
      row[name] = position === undefined ? undefined : fields[position];
    if (required.some((name) => row[name] === undefined || row[name]!.trim() === '')) {
      report({
        file: spec.file,
        line: lineNumber,
        reason: 'malformed_row',
        detail: `expected ${required.join(',')}; row was ${echo(line)}`,
      });
      continue;
    }
    const eventTime = parseTimestamp(row.ts!);
    if (eventTime === null) {
      report({
        file: spec.file,
        line: lineNumber,
        reason: 'malformed_row',
        detail: `ts was ${echo(row.ts!)}, expected ISO-8601 with an offset or epoch ms within ${TIME_WINDOW}`,
      });
      continue;
    }
    if (eventTime < last) {
      report({
        file: spec.file,
        line: lineNumber,
        reason: 'out_of_order',
        detail: `ts ${cut(row.ts!)} is before the previous row`,
      });
      continue;
    }
    const problem = spec.check?.(row) ?? null;
    if (problem !== null) {
      report({ file: spec.file, line: lineNumber, reason: 'malformed_row', detail: problem });
      continue;
    }
    last = eventTime;
    yield spec.toEvent(row, eventTime, lineNumber);
  }
}

/** Streams `ticks.csv` as tick events (an optional `sequence` column is checked per symbol by the engine). */
export function readTicks(datasetDir: string, report: (issue: DatasetIssue) => void): Generator<TickEvent> {
  return readTimedRows(
    join(datasetDir, 'ticks.csv'),
    {
      file: 'ticks.csv',
      columns: ['symbol', 'price'],
      optional: ['sequence'],
      // A bad sequence must not silently switch duplicate detection off for the row.
      check: (row) => {
        const text = row.sequence?.trim();
        return text && !/^\d{1,15}$/.test(text) ? `sequence was ${echo(row.sequence!)}` : null;
      },
      toEvent: (row, eventTime, line) => {
        const sequence = row.sequence?.trim() ? Number(row.sequence) : undefined;
        // check() admitted only whole numbers, so `sequence` is a safe integer when present.
        return {
          kind: 'tick',
          symbol: row.symbol!.trim(),
          price: row.price!,
          eventTime,
          ...(sequence !== undefined && Number.isSafeInteger(sequence) ? { sequence } : {}),
          position: { source: 'ticks.csv', offset: line },
        };
      },
    },
    report,
  );
}

/** The `source` of an fx.csv row without one, as `replay --kafka` publishes it. */
export const DEFAULT_FX_SOURCE = 'dataset';

/** Streams `fx.csv` (optional) as FX events, with the same row checks as ticks. */
export function* readFxRates(
  datasetDir: string,
  report: (issue: DatasetIssue) => void,
): Generator<FxRateEvent> {
  const path = join(datasetDir, 'fx.csv');
  if (!existsSync(path)) return;
  // Observation ids as a Kafka consumer derives them (`source:pair:sequence`, numbered from the
  // data as `replay --kafka` does), so a level names the same observation either way, however the
  // dataset was cut into runs.
  const sequences = new TimeSequencer();
  yield* readTimedRows(
    path,
    {
      file: 'fx.csv',
      columns: ['pair', 'rate'],
      // `source` names the publisher; an index's close.fxFixingSource picks its closing fixing.
      optional: ['source'],
      toEvent: (row, eventTime, line) => {
        const pair = row.pair!.trim();
        const source = row.source?.trim() || undefined;
        const sequence = sequences.next(pair, eventTime);
        return {
          kind: 'fx-rate',
          pair,
          rate: row.rate!,
          eventTime,
          observationId: `${source ?? DEFAULT_FX_SOURCE}:${pair}:${sequence}`,
          ...(source === undefined ? {} : { source }),
          position: { source: 'fx.csv', offset: line },
        };
      },
    },
    report,
  );
}
