import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  addCalendarDays,
  type DatasetSummary,
  type IndexFileContent,
  isWeekday,
  type SimulatedAction,
  type SimulatedSymbol,
  SimulationInputError,
  simulateMarket,
  writeDataset,
} from '@indexflow/market-simulator';

/** HKDCNY of the first FX row when no index file gives `referenceFx` (as `indexflow simulate`). */
const DEFAULT_START_FX = '0.92294';

/** The index files of a dataset directory (indices/*.json), sorted by name. */
export function readIndexFiles(datasetDir: string): IndexFileContent[] {
  const dir = join(datasetDir, 'indices');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as IndexFileContent);
}

/** One simulated symbol per distinct constituent, priced from its `referencePrice`. */
function symbolsOf(indexFiles: readonly IndexFileContent[]): SimulatedSymbol[] {
  const prices = new Map<string, string>();
  for (const index of indexFiles) {
    const constituents = Array.isArray(index.constituents)
      ? (index.constituents as Record<string, unknown>[])
      : [];
    for (const constituent of constituents) {
      const symbol = String(constituent.symbol);
      const price = constituent.referencePrice;
      if (typeof price !== 'string')
        throw new SimulationInputError(`referencePrice of ${index.id}:${symbol}`, price, 'a decimal string');
      prices.set(symbol, price);
    }
  }
  return [...prices.keys()].sort().map((symbol) => ({ symbol, referencePrice: prices.get(symbol)! }));
}

/** The first weekday after the indices' `referenceDate`: their reference prices are that day's closes. */
export function firstTradingDate(indexFiles: readonly IndexFileContent[]): string {
  const reference = indexFiles
    .map((index) => index.referenceDate)
    .find((date): date is string => typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date));
  if (reference === undefined)
    throw new SimulationInputError('referenceDate', reference, 'a YYYY-MM-DD date in an index file');
  let date = addCalendarDays(reference, 1);
  while (!isWeekday(date)) date = addCalendarDays(date, 1);
  return date;
}

export interface SimulatedDaysOptions {
  readonly out: string;
  readonly indexFiles: readonly IndexFileContent[];
  readonly startDate: string;
  readonly seed: number;
  readonly days: number;
  readonly snapshotIntervalMs?: number;
  /** Actions whose ex-rights reference prices move the simulated prices (the register's accepted ones). */
  readonly actions: readonly SimulatedAction[];
}

/**
 * Writes the simulated days' indices, ticks and HKDCNY quotes in the replay format, the way
 * `indexflow simulate` does, and lets the given actions move prices on their ex-dates. actions.csv
 * is not written here: the register decides which actions the calculator sees.
 */
export function writeSimulatedDays(options: SimulatedDaysOptions): DatasetSummary {
  const referenceFx = options.indexFiles
    .map((index) => index.referenceFx)
    .find((fx): fx is string => typeof fx === 'string');
  return writeDataset(options.out, {
    indices: options.indexFiles,
    rows: simulateMarket({
      seed: options.seed,
      startDate: options.startDate,
      days: options.days,
      symbols: symbolsOf(options.indexFiles),
      fx: { pair: 'HKDCNY', start: referenceFx ?? DEFAULT_START_FX },
      corporateActions: options.actions,
      ...(options.snapshotIntervalMs === undefined ? {} : { snapshotIntervalMs: options.snapshotIntervalMs }),
    }),
  });
}
