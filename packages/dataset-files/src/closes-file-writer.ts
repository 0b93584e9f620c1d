import { closeSync, openSync, writeSync } from 'node:fs';
import type { OfficialClose } from '@indexflow/index-engine';
import { csvRow } from './csv-field.js';

/** Header of the summary closes CSV; `indexflow stats --closes` reads its date, close and index columns. */
export const CLOSES_CSV_HEADER = 'date,index,close,prev_close,divisor,fx_rate,fx_basis';

/** One row of the summary closes CSV (RFC 4180, no formulas): every decimal exactly as the engine produced it. */
export function formatCloseRow(close: OfficialClose): string {
  return csvRow([
    close.tradingDate,
    close.indexId,
    close.level,
    close.prevClose ?? '',
    close.divisor,
    close.fx?.rate ?? '',
    close.fx?.basis ?? '',
  ]);
}

/**
 * Writes official closes to a file: JSON Lines (one full close with its constituents per line,
 * the engine's field order, so the same closes give the same bytes), or, for a path ending in
 * `.csv`, the one-row-per-close summary that `indexflow stats --closes` reads.
 */
export class ClosesFileWriter {
  readonly #fd: number;
  readonly #csv: boolean;
  rows = 0;

  constructor(path: string) {
    this.#csv = path.toLowerCase().endsWith('.csv');
    this.#fd = openSync(path, 'w');
    if (this.#csv) writeSync(this.#fd, `${CLOSES_CSV_HEADER}\n`);
  }

  write(close: OfficialClose): void {
    this.rows += 1;
    writeSync(this.#fd, `${this.#csv ? formatCloseRow(close) : JSON.stringify(close)}\n`);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
