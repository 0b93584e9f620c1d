import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CorporateAction,
  echo,
  type IndexAdjustmentEvent,
  isCorporateActionType,
} from '@indexflow/index-engine';
import { columnIndex } from './csv-header.js';
import { splitCsvLine } from './csv-line.js';
import type { DatasetIssue } from './dataset-report.js';
import { overlongDetail, readLines } from './line-reader.js';
import { shanghaiMidnight, TIME_WINDOW } from './timestamps.js';

const COLUMNS = ['exDate', 'type', 'symbol', 'index', 'ratio', 'price', 'amount', 'shares'] as const;

/**
 * Reads `actions.csv` into one index-adjustment event per ex-date at 00:00 Asia/Shanghai, the
 * actions of a date in file order. Rows that cannot be parsed are reported and skipped.
 */
export function readActions(
  datasetDir: string,
  report: (issue: DatasetIssue) => void,
): IndexAdjustmentEvent[] {
  const path = join(datasetDir, 'actions.csv');
  if (!existsSync(path)) return [];
  const byDate = new Map<
    string,
    { time: number; line: number; actions: CorporateAction[]; lines: number[] }
  >();
  let columns: Partial<Record<(typeof COLUMNS)[number], number>> | null = null;
  for (const { line, lineNumber, overlong } of readLines(path)) {
    if (line === null) {
      report({
        file: 'actions.csv',
        line: lineNumber,
        reason: 'malformed_row',
        detail: overlongDetail(overlong),
      });
      continue;
    }
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    if (columns === null) {
      columns = columnIndex(path, fields, ['exDate', 'type', 'symbol'], COLUMNS);
      continue;
    }
    const get = (name: (typeof COLUMNS)[number]): string | undefined => {
      const i = columns![name];
      const value = i === undefined ? undefined : fields[i]?.trim();
      return value === '' ? undefined : value;
    };
    const exDate = get('exDate') ?? '';
    const type = get('type') ?? '';
    const symbol = get('symbol');
    const time = shanghaiMidnight(exDate);
    const issue = (detail: string) =>
      report({ file: 'actions.csv', line: lineNumber, reason: 'malformed_row', detail });
    if (time === null) {
      issue(`exDate was ${echo(exDate)}, expected YYYY-MM-DD within ${TIME_WINDOW}`);
      continue;
    }
    if (!isCorporateActionType(type)) {
      issue(`type was ${echo(type)}`);
      continue;
    }
    if (symbol === undefined) {
      issue('symbol is empty');
      continue;
    }
    const index = get('index');
    const action: CorporateAction = {
      type,
      symbol,
      ...(index ? { indexId: index } : {}),
      ...Object.fromEntries(
        (['ratio', 'price', 'amount', 'shares'] as const).flatMap((k) => (get(k) ? [[k, get(k)]] : [])),
      ),
    };
    const entry = byDate.get(exDate);
    if (entry) {
      entry.actions.push(action);
      entry.lines.push(lineNumber);
    } else byDate.set(exDate, { time, line: lineNumber, actions: [action], lines: [lineNumber] });
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([effectiveDate, { time, line, actions, lines }]) => {
      const event: IndexAdjustmentEvent = {
        kind: 'index-adjustment' as const,
        effectiveDate,
        actions,
        eventTime: time,
        position: { source: 'actions.csv', offset: line },
      };
      ACTION_LINES.set(event, lines);
      return event;
    });
}

/** The actions.csv line of each action of an adjustment event read here (events are one per date). */
const ACTION_LINES = new WeakMap<IndexAdjustmentEvent, readonly number[]>();

/** The line of action `actionIndex` of an event from `readActions`, or undefined for other events. */
export function actionLineOf(event: object, actionIndex: number): number | undefined {
  return ACTION_LINES.get(event as IndexAdjustmentEvent)?.[actionIndex];
}
