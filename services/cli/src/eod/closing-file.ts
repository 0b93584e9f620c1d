import { csvField, csvRow } from '@indexflow/dataset-files';
import { percentOfFraction } from '@indexflow/index-engine';
import type { IndexCloseRecord } from '@indexflow/kafka';
import type { ConstituentInfo } from './constituent-info.js';

export const CLOSING_FILE_COLUMNS = [
  'date',
  'index',
  'symbol',
  'name',
  'currency',
  'close_price',
  'fx_rate',
  'index_shares',
  'market_value',
  'weight_percent',
  'cap_factor',
  'divisor',
  'index_level',
] as const;

export type ClosingFileRow = Record<(typeof CLOSING_FILE_COLUMNS)[number], string>;

/**
 * The vendor-style closing constituent file of one close: one row per constituent, every
 * decimal exact as the calculator published it (weight as a percentage, the 24-dp fraction × 100).
 * The divisor and level repeat on each row, so Σ(close_price × fx_rate × index_shares) / divisor
 * recomputes the level from the file alone.
 */
export function closingFileRows(
  close: IndexCloseRecord,
  info: ReadonlyMap<string, ConstituentInfo>,
): ClosingFileRow[] {
  return close.constituents.map((c) => ({
    date: close.tradingDate,
    index: close.indexId,
    symbol: c.symbol,
    name: info.get(c.symbol)?.name ?? '',
    currency: c.currency,
    close_price: c.price,
    fx_rate: c.fxRate,
    index_shares: c.indexShares,
    market_value: c.marketValue,
    weight_percent: percentOfFraction(c.weight),
    cap_factor: info.get(c.symbol)?.capFactor ?? '1',
    divisor: close.divisor,
    index_level: close.level,
  }));
}

/**
 * A constituent file as CSV (the columns in order) or JSON (the header fields, then the rows as
 * `constituents`); the closing and the opening file share it.
 */
export function renderConstituentFile<C extends string>(
  header: { readonly constituents: unknown },
  columns: readonly C[],
  rows: readonly Record<C, string>[],
  format: 'csv' | 'json',
): string {
  if (format === 'json') {
    const { constituents: _, ...fields } = header;
    return `${JSON.stringify({ ...fields, constituents: rows }, null, 2)}\n`;
  }
  const lines = [csvRow(columns)];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

export function renderClosingFile(
  close: IndexCloseRecord,
  info: ReadonlyMap<string, ConstituentInfo>,
  format: 'csv' | 'json',
): string {
  return renderConstituentFile(close, CLOSING_FILE_COLUMNS, closingFileRows(close, info), format);
}
