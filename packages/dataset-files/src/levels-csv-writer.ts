import { closeSync, openSync, writeSync } from 'node:fs';
import { formatLevelFixed, type IndexLevel } from '@indexflow/index-engine';
import { csvField } from './csv-field.js';
import { formatUtc } from './timestamps.js';

export const LEVELS_CSV_HEADER = 'ts,index,level,sequence,trigger,symbol';

/** Decimal places of `level` in levels.csv: fixed, so the same levels always give the same bytes. */
export const LEVEL_DECIMALS = 10;

/**
 * One levels.csv row; the level is formatted from the engine's scaled integer, half-up, without
 * decimal.js. The index id and symbol go through `csvField` (RFC 4180, no formulas); valid ids
 * never need it, so rows are byte-identical to the format's contract.
 */
export function formatLevelRow(level: IndexLevel): string {
  return `${formatUtc(level.eventTime)},${csvField(level.indexId)},${formatLevelFixed(level, LEVEL_DECIMALS)},${level.sequence},${level.trigger},${csvField(level.symbol ?? '')}`;
}

/** Writes levels.csv rows through a 1 MiB buffer (or to stdout when the path is `-`). */
export class LevelsCsvWriter {
  readonly #fd: number;
  readonly #ownsFd: boolean;
  #pending: string[] = [];
  #pendingLength = 0;
  rows = 0;

  constructor(path: string) {
    this.#ownsFd = path !== '-';
    this.#fd = this.#ownsFd ? openSync(path, 'w') : 1;
    this.#push(LEVELS_CSV_HEADER);
  }

  write(level: IndexLevel): void {
    this.rows += 1;
    this.#push(formatLevelRow(level));
  }

  /** Rows already in the levels.csv format (e.g. read back from the index-level topic). */
  writeRows(rows: readonly string[]): void {
    for (const row of rows) {
      this.rows += 1;
      this.#push(row);
    }
  }

  #push(row: string): void {
    this.#pending.push(row);
    this.#pendingLength += row.length + 1;
    if (this.#pendingLength >= 1 << 20) this.flush();
  }

  flush(): void {
    if (this.#pending.length === 0) return;
    writeSync(this.#fd, `${this.#pending.join('\n')}\n`);
    this.#pending = [];
    this.#pendingLength = 0;
  }

  close(): void {
    this.flush();
    if (this.#ownsFd) closeSync(this.#fd);
  }
}
