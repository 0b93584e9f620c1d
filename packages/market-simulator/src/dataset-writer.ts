import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferedFileWriter } from './buffered-file-writer.js';
import type { SimulatedAction, SimulatedFxRate, SimulatedRow, SimulatedTick } from './simulate-market.js';
import { SimulationInputError } from './simulation-input-error.js';

export const TICKS_CSV_HEADER = 'ts,symbol,price,volume,turnover,phase';
export const FX_CSV_HEADER = 'ts,pair,rate';
export const ACTIONS_CSV_HEADER = 'exDate,type,symbol,index,ratio,price,amount,shares';

/** An index file's content: at least an `id`; every other field (constituents, referencePrice, …) is written as given. */
export interface IndexFileContent {
  readonly id: string;
  readonly [field: string]: unknown;
}

export interface DatasetContents {
  readonly indices: readonly IndexFileContent[];
  /** Ticks and FX rates in time order, e.g. `simulateMarket(...)`; consumed once, row by row. */
  readonly rows: Iterable<SimulatedRow>;
  /** Written to actions.csv (ordered by exDate, stable) when given and non-empty. */
  readonly actions?: readonly SimulatedAction[];
}

export interface DatasetSummary {
  readonly ticks: number;
  readonly fxRates: number;
  readonly actions: number;
  readonly symbols: number;
  /** Distinct local dates with at least one tick. */
  readonly days: number;
  readonly bytes: Readonly<Record<string, number>>;
}

/** One ticks.csv line (with newline). */
export function formatTickLine(tick: SimulatedTick): string {
  return `${tick.ts},${tick.symbol},${tick.price},${tick.volume},${tick.turnover},${tick.phase}\n`;
}

/** One fx.csv line (with newline). */
export function formatFxLine(rate: SimulatedFxRate): string {
  return `${rate.ts},${rate.pair},${rate.rate}\n`;
}

/** One actions.csv line (with newline). */
export function formatActionLine(a: SimulatedAction): string {
  return `${[a.exDate, a.type, a.symbol, a.index ?? '', a.ratio ?? '', a.price ?? '', a.amount ?? '', a.shares ?? ''].join(',')}\n`;
}

const SAFE_ID = /^[A-Za-z0-9._-]+$/;

/**
 * Writes a dataset directory in the replay format: indices/<id>.json, ticks.csv, fx.csv and, when
 * actions are given, actions.csv. Rows stream to disk through small buffers, so a dataset of any
 * size needs memory for one row per stream only. Dataset files already in the directory
 * (indices/*.json and the three CSVs) are removed first, so no stale file joins the replay.
 */
export function writeDataset(dir: string, contents: DatasetContents): DatasetSummary {
  for (const index of contents.indices) {
    if (typeof index.id !== 'string' || !SAFE_ID.test(index.id))
      throw new SimulationInputError('indices[].id', index.id, 'letters, digits, ".", "_" or "-"');
  }
  const indicesDir = join(dir, 'indices');
  mkdirSync(indicesDir, { recursive: true });
  for (const name of readdirSync(indicesDir)) if (name.endsWith('.json')) rmSync(join(indicesDir, name));
  for (const name of ['ticks.csv', 'fx.csv', 'actions.csv']) rmSync(join(dir, name), { force: true });

  const bytes: Record<string, number> = {};
  for (const index of contents.indices) {
    const text = `${JSON.stringify(index, null, 2)}\n`;
    writeFileSync(join(indicesDir, `${index.id}.json`), text);
    bytes[`indices/${index.id}.json`] = Buffer.byteLength(text);
  }
  const ticks = new BufferedFileWriter(join(dir, 'ticks.csv'));
  const fx = new BufferedFileWriter(join(dir, 'fx.csv'));
  let tickCount = 0;
  let fxCount = 0;
  const symbols = new Set<string>();
  const days = new Set<string>();
  try {
    ticks.write(`${TICKS_CSV_HEADER}\n`);
    fx.write(`${FX_CSV_HEADER}\n`);
    for (const row of contents.rows) {
      if (row.kind === 'tick') {
        ticks.write(formatTickLine(row));
        tickCount++;
        symbols.add(row.symbol);
        days.add(row.ts.slice(0, 10));
      } else {
        fx.write(formatFxLine(row));
        fxCount++;
      }
    }
  } finally {
    bytes['ticks.csv'] = ticks.close();
    bytes['fx.csv'] = fx.close();
  }
  const actions = [...(contents.actions ?? [])].sort((a, b) =>
    a.exDate < b.exDate ? -1 : a.exDate > b.exDate ? 1 : 0,
  );
  if (actions.length > 0) {
    const text = `${ACTIONS_CSV_HEADER}\n${actions.map(formatActionLine).join('')}`;
    writeFileSync(join(dir, 'actions.csv'), text);
    bytes['actions.csv'] = Buffer.byteLength(text);
  }
  return {
    ticks: tickCount,
    fxRates: fxCount,
    actions: actions.length,
    symbols: symbols.size,
    days: days.size,
    bytes,
  };
}
