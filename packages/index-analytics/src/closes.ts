import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ClosesCsvError } from './closes-csv-error.js';
import { Dec } from './decimal.js';

/** One end-of-day level. `close` keeps every digit of the decimal string it was read from. */
export interface DailyClose {
  /** Trading date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly close: Dec;
}

/** The close history of one index, dates strictly increasing. */
export interface IndexCloses {
  readonly indexId: string;
  readonly closes: readonly DailyClose[];
}

export interface ParseClosesOptions {
  /** Named in every error; a path or a label such as `<stdin>`. */
  readonly file: string;
  /** Index id for a file without an `index` column. */
  readonly defaultIndexId: string;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Plain decimal notation only: exponents and signs other than '-' are a sign of a spreadsheet export gone wrong.
const DECIMAL_PATTERN = /^-?(\d+(\.\d+)?|\.\d+)$/;

/** Returns true when `text` is `YYYY-MM-DD` and names a real day of the proleptic Gregorian calendar. */
function isCalendarDate(text: string): boolean {
  const match = DATE_PATTERN.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Parses a closes CSV: a header with `date` and `close` (any order, names case-insensitive) and an
 * optional `index` column, one row per (index, date). Returns one series per index in order of
 * first appearance. Throws `ClosesCsvError` naming the file, line and value of the first bad row.
 */
export function parseClosesCsv(text: string, options: ParseClosesOptions): IndexCloses[] {
  const { file } = options;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0]?.trim() ?? '';
  if (headerLine === '') {
    throw new ClosesCsvError(
      { file, line: 1, problem: 'empty_file', value: '' },
      'file is empty; expected a header "date,close"',
    );
  }
  const header = headerLine.split(',').map((name) => name.trim().toLowerCase());
  const dateColumn = header.indexOf('date');
  const closeColumn = header.indexOf('close');
  const indexColumn = header.indexOf('index');
  for (const [name, position] of [
    ['date', dateColumn],
    ['close', closeColumn],
  ] as const) {
    if (position < 0) {
      throw new ClosesCsvError(
        { file, line: 1, problem: 'missing_header_column', value: headerLine, column: name },
        `header has no "${name}" column; header was "${headerLine}"`,
      );
    }
  }

  const series = new Map<string, DailyClose[]>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const line = i + 1;
    const fields = raw.split(',').map((field) => field.trim());
    if (fields.length !== header.length) {
      throw new ClosesCsvError(
        { file, line, problem: 'wrong_field_count', value: raw },
        `row has ${fields.length} fields, header has ${header.length}; row was "${raw}"`,
      );
    }
    const date = fields[dateColumn]!;
    if (!isCalendarDate(date)) {
      throw new ClosesCsvError(
        { file, line, problem: 'invalid_date', value: date, column: 'date' },
        `date was "${date}", expected YYYY-MM-DD`,
      );
    }
    const closeText = fields[closeColumn]!;
    if (!DECIMAL_PATTERN.test(closeText)) {
      throw new ClosesCsvError(
        { file, line, problem: 'invalid_close', value: closeText, column: 'close' },
        `close was "${closeText}", expected a decimal number such as 1234.5678`,
      );
    }
    const close = new Dec(closeText);
    if (close.lte(0)) {
      throw new ClosesCsvError(
        { file, line, problem: 'non_positive_close', value: closeText, column: 'close' },
        `close was ${closeText}; an index level must be positive`,
      );
    }
    const indexId = indexColumn < 0 ? options.defaultIndexId : fields[indexColumn]!;
    let closes = series.get(indexId);
    if (!closes) {
      closes = [];
      series.set(indexId, closes);
    }
    const previous = closes.at(-1);
    // Returns are ratios of consecutive closes, so an out-of-order or repeated date would silently corrupt them.
    if (previous && previous.date >= date) {
      throw new ClosesCsvError(
        { file, line, problem: 'date_not_increasing', value: date, column: 'date' },
        `date was ${date} for index ${indexId}, not after the previous row's ${previous.date}`,
      );
    }
    closes.push({ date, close });
  }

  if (series.size === 0) {
    throw new ClosesCsvError(
      { file, line: lines.length, problem: 'too_few_closes', value: '' },
      'file has a header but no closes',
    );
  }
  const result: IndexCloses[] = [];
  for (const [indexId, closes] of series) {
    if (closes.length < 2) {
      throw new ClosesCsvError(
        { file, line: lines.length, problem: 'too_few_closes', value: indexId, column: 'index' },
        `index ${indexId} has ${closes.length} close; at least 2 are needed for a return`,
      );
    }
    result.push({ indexId, closes });
  }
  return result;
}

/** Reads and parses a closes CSV; a file without an `index` column is named after the file. */
export function readClosesCsv(path: string, defaultIndexId = basename(path, extname(path))): IndexCloses[] {
  return parseClosesCsv(readFileSync(path, 'utf8'), { file: path, defaultIndexId });
}
