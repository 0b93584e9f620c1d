import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FxRateEvent, TickEvent } from '@indexflow/index-engine';
import { columnIndex } from './csv-header.js';
import { splitCsvLine } from './csv-line.js';
import type { DatasetIssue } from './dataset-report.js';
import { readLines } from './line-reader.js';
import { parseTimestamp } from './timestamps.js';

/**
 * Streams `ticks.csv` as tick events. Rows must be in time order: a row earlier than the last
 * accepted one is reported as out_of_order and skipped, as is a row that cannot be parsed.
 */
export function* readTicks(datasetDir: string, report: (issue: DatasetIssue) => void): Generator<TickEvent> {
  const path = join(datasetDir, 'ticks.csv');
  let columns: { ts: number; symbol: number; price: number; sequence?: number } | null = null;
  let last = Number.NEGATIVE_INFINITY;
  for (const { line, lineNumber } of readLines(path)) {
    if (line.length === 0) continue;
    const fields = splitCsvLine(line);
    if (columns === null) {
      columns = columnIndex(path, fields, ['ts', 'symbol', 'price'], ['sequence']);
      continue;
    }
    const tsText = fields[columns.ts];
    const symbol = fields[columns.symbol]?.trim();
    const price = fields[columns.price];
    if (tsText === undefined || symbol === undefined || symbol === '' || price === undefined) {
      report({
        file: 'ticks.csv',
        line: lineNumber,
        reason: 'malformed_row',
        detail: `expected ts,symbol,price; row was ${JSON.stringify(line)}`,
      });
      continue;
    }
    const eventTime = parseTimestamp(tsText);
    if (eventTime === null) {
      report({
        file: 'ticks.csv',
        line: lineNumber,
        reason: 'malformed_row',
        detail: `ts was ${JSON.stringify(tsText)}`,
      });
      continue;
    }
    if (eventTime < last) {
      report({
        file: 'ticks.csv',
        line: lineNumber,
        reason: 'out_of_order',
        detail: `ts ${tsText} is before the previous row`,
      });
      continue;
    }
    last = eventTime;
    const sequenceText = columns.sequence === undefined ? undefined : fields[columns.sequence]?.trim();
    const sequence = sequenceText ? Number(sequenceText) : undefined;
    yield {
      kind: 'tick',
      symbol,
      price,
      eventTime,
      ...(sequence !== undefined && Number.isSafeInteger(sequence) ? { sequence } : {}),
      position: { source: 'ticks.csv', offset: lineNumber },
    };
  }
}

/** Streams `fx.csv` (optional) as FX events, with the same row checks as ticks. */
export function* readFxRates(
  datasetDir: string,
  report: (issue: DatasetIssue) => void,
): Generator<FxRateEvent> {
  const path = join(datasetDir, 'fx.csv');
  if (!existsSync(path)) return;
  let columns: { ts: number; pair: number; rate: number } | null = null;
  let last = Number.NEGATIVE_INFINITY;
  for (const { line, lineNumber } of readLines(path)) {
    if (line.length === 0) continue;
    const fields = splitCsvLine(line);
    if (columns === null) {
      columns = columnIndex(path, fields, ['ts', 'pair', 'rate']);
      continue;
    }
    const tsText = fields[columns.ts];
    const pair = fields[columns.pair]?.trim();
    const rate = fields[columns.rate];
    if (tsText === undefined || pair === undefined || pair === '' || rate === undefined) {
      report({
        file: 'fx.csv',
        line: lineNumber,
        reason: 'malformed_row',
        detail: `expected ts,pair,rate; row was ${JSON.stringify(line)}`,
      });
      continue;
    }
    const eventTime = parseTimestamp(tsText);
    if (eventTime === null) {
      report({
        file: 'fx.csv',
        line: lineNumber,
        reason: 'malformed_row',
        detail: `ts was ${JSON.stringify(tsText)}`,
      });
      continue;
    }
    if (eventTime < last) {
      report({
        file: 'fx.csv',
        line: lineNumber,
        reason: 'out_of_order',
        detail: `ts ${tsText} is before the previous row`,
      });
      continue;
    }
    last = eventTime;
    yield {
      kind: 'fx-rate',
      pair,
      rate,
      eventTime,
      observationId: `fx.csv:${lineNumber}`,
      position: { source: 'fx.csv', offset: lineNumber },
    };
  }
}
