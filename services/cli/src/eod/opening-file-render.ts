import { percentOfFraction } from '@indexflow/index-engine';
import { renderConstituentFile } from './closing-file.js';
import type { ConstituentInfo } from './constituent-info.js';
import type { OpeningFile } from './opening-file.js';

export const OPENING_FILE_COLUMNS = [
  'date',
  'index',
  'symbol',
  'name',
  'currency',
  'reference_price',
  'fx_rate',
  'index_shares',
  'market_value',
  'weight_percent',
  'cap_factor',
  'divisor',
  'index_level',
] as const;

export type OpeningFileRow = Record<(typeof OPENING_FILE_COLUMNS)[number], string>;

/**
 * One row per constituent at the open of `openingDate`, decimals exact as the engine holds them.
 * The divisor and the opening reference level repeat on each row, so
 * Σ(reference_price × fx_rate × index_shares) / divisor recomputes the level from the file alone.
 */
export function openingFileRows(
  file: OpeningFile,
  info: ReadonlyMap<string, ConstituentInfo>,
): OpeningFileRow[] {
  return file.constituents.map((c) => ({
    date: file.openingDate,
    index: file.indexId,
    symbol: c.symbol,
    name: info.get(c.symbol)?.name ?? '',
    currency: c.currency,
    reference_price: c.referencePrice,
    fx_rate: c.fxRate,
    index_shares: c.indexShares,
    market_value: c.marketValue,
    weight_percent: percentOfFraction(c.weight),
    cap_factor: info.get(c.symbol)?.capFactor ?? '1',
    divisor: file.divisor,
    index_level: file.openingLevel,
  }));
}

export function renderOpeningFile(
  file: OpeningFile,
  info: ReadonlyMap<string, ConstituentInfo>,
  format: 'csv' | 'json',
): string {
  return renderConstituentFile(file, OPENING_FILE_COLUMNS, openingFileRows(file, info), format);
}
