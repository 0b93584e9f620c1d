import { overlongDetail, readLines, splitCsvLine } from '@indexflow/dataset-files';
import { type CorporateAction, echo, isCorporateActionType } from '@indexflow/index-engine';
import type { Announcement } from './announcement.js';

const COLUMNS = ['exDate', 'type', 'symbol', 'index', 'ratio', 'price', 'amount', 'shares'] as const;
const OPTIONAL = ['actionId', 'currency'] as const;

export type AnnouncementRow =
  | { readonly line: number; readonly announcement: Announcement }
  | { readonly line: number; readonly problem: string };

/** The file lacks a required column. */
export class ActionsFileError extends Error {
  constructor(
    readonly file: string,
    readonly header: string,
  ) {
    super(`${file}: header must contain exDate,type,symbol; was ${JSON.stringify(header)}`);
    this.name = 'ActionsFileError';
  }
}

/**
 * The id of an announcement without an `actionId` column: its date, type, symbol and index, so
 * importing the same file twice yields the same ids (and changes nothing the second time).
 */
export function derivedActionId(exDate: string, action: CorporateAction): string {
  return [exDate, action.type, action.symbol, action.indexId].filter(Boolean).join(':');
}

/**
 * Reads an `actions.csv` in the offline-replay format (optionally with `actionId` and `currency`
 * columns) row by row, keeping line numbers so each refusal can name its row.
 */
export function* readAnnouncements(path: string, announcedAt: number): Generator<AnnouncementRow> {
  let columns: Map<string, number> | null = null;
  for (const { line, lineNumber, overlong } of readLines(path)) {
    if (line === null) {
      yield { line: lineNumber, problem: overlongDetail(overlong) };
      continue;
    }
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    if (columns === null) {
      columns = new Map(fields.map((name, i) => [name.trim(), i]));
      if (!['exDate', 'type', 'symbol'].every((c) => columns!.has(c))) throw new ActionsFileError(path, line);
      continue;
    }
    const get = (name: (typeof COLUMNS)[number] | (typeof OPTIONAL)[number]): string | undefined => {
      const i = columns!.get(name);
      const value = i === undefined ? undefined : fields[i]?.trim();
      return value === '' ? undefined : value;
    };
    const type = get('type') ?? '';
    const symbol = get('symbol');
    const exDate = get('exDate') ?? '';
    if (!isCorporateActionType(type)) {
      yield { line: lineNumber, problem: `type was ${echo(type)}` };
      continue;
    }
    if (symbol === undefined) {
      yield { line: lineNumber, problem: 'symbol is empty' };
      continue;
    }
    const index = get('index');
    const currency = get('currency');
    const action: CorporateAction = {
      type,
      symbol,
      ...(index ? { indexId: index } : {}),
      ...(currency ? { currency } : {}),
      ...Object.fromEntries(
        (['ratio', 'price', 'amount', 'shares'] as const).flatMap((k) => (get(k) ? [[k, get(k)]] : [])),
      ),
    };
    yield {
      line: lineNumber,
      announcement: {
        actionId: get('actionId') ?? derivedActionId(exDate, action),
        exDate,
        action,
        announcedAt,
      },
    };
  }
}
