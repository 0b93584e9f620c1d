import { overlongDetail, readLines, shanghaiMidnight, splitCsvLine } from '@indexflow/dataset-files';
import { echo } from '@indexflow/index-engine';
import { EodInputError } from './eod-errors.js';

/** One constituent's closing price of one date; `fx` is the optional HKDCNY column of its row. */
export interface ClosingPriceRow {
  readonly date: string;
  readonly symbol: string;
  readonly price: string;
  readonly fx: string | undefined;
  readonly line: number;
}

/** One FX rate of one date (`--fx` file), applied at the close instant. */
export interface ClosingFxRow {
  readonly date: string;
  readonly pair: string;
  readonly rate: string;
  readonly source: string | undefined;
  readonly line: number;
}

/** The FX column of a closing-prices file: `HKDCNY`, or `fx` meaning the same rate. */
const FX_COLUMNS = ['HKDCNY', 'fx'];

function* csvRows(
  path: string,
  required: readonly string[],
  optional: readonly string[],
): Generator<{ line: number; get: (name: string) => string | undefined }> {
  let columns: Map<string, number> | null = null;
  for (const { line, lineNumber, overlong } of readLines(path)) {
    if (line === null)
      throw new EodInputError({ file: path, line: lineNumber, detail: overlongDetail(overlong) });
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    if (columns === null) {
      columns = new Map(fields.map((name, i) => [name.trim(), i]));
      const missing = required.filter((c) => !columns!.has(c));
      if (missing.length > 0)
        throw new EodInputError({
          file: path,
          line: lineNumber,
          detail: `header must have ${required.join(',')}${optional.length ? ` (optional ${optional.join(', ')})` : ''}; was ${echo(line)}`,
        });
      continue;
    }
    const get = (name: string): string | undefined => {
      const i = columns!.get(name);
      const value = i === undefined ? undefined : fields[i]?.trim();
      return value === '' ? undefined : value;
    };
    const date = get('date') ?? '';
    if (shanghaiMidnight(date) === null)
      throw new EodInputError({
        file: path,
        line: lineNumber,
        detail: `date was ${echo(date)}, expected YYYY-MM-DD`,
      });
    yield { line: lineNumber, get };
  }
}

/**
 * Reads `date,symbol,price[,HKDCNY]` (any column order, extra columns allowed, rows in any order).
 * Prices stay strings for the engine to parse and refuse; a missing field or a second price of a
 * symbol on one date is an error here, since either would silently pick a close.
 */
export function readClosingPrices(path: string): ClosingPriceRow[] {
  const rows: ClosingPriceRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, get } of csvRows(path, ['date', 'symbol', 'price'], FX_COLUMNS)) {
    const date = get('date')!;
    const symbol = get('symbol');
    const price = get('price');
    if (symbol === undefined || price === undefined)
      throw new EodInputError({
        file: path,
        line,
        detail: `${symbol === undefined ? 'symbol' : 'price'} is empty`,
      });
    const key = `${date} ${symbol}`;
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new EodInputError({
        file: path,
        line,
        detail: `${symbol} already has a price on ${date} (line ${earlier})`,
      });
    seen.set(key, line);
    rows.push({ date, symbol, price, fx: get('HKDCNY') ?? get('fx'), line });
  }
  return rows;
}

/** Reads `date,pair,rate[,source]`: the rates (e.g. HKDCNY) in force at each date's close. */
export function readClosingFx(path: string): ClosingFxRow[] {
  const rows: ClosingFxRow[] = [];
  for (const { line, get } of csvRows(path, ['date', 'pair', 'rate'], ['source'])) {
    const pair = get('pair');
    const rate = get('rate');
    if (pair === undefined || rate === undefined)
      throw new EodInputError({
        file: path,
        line,
        detail: `${pair === undefined ? 'pair' : 'rate'} is empty`,
      });
    rows.push({ date: get('date')!, pair, rate, source: get('source'), line });
  }
  return rows;
}
