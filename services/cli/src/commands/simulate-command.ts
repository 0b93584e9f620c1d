import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DatasetError, readIndexDefinitions } from '@indexflow/dataset-files';
import {
  addCalendarDays,
  type IndexFileContent,
  isWeekday,
  type SimulatedSymbol,
  SimulationInputError,
  simulateMarket,
  writeDataset,
} from '@indexflow/market-simulator';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import type { Command } from 'commander';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface SimulateFlags {
  out: string;
  seed: string;
  days: string;
  startDate?: string;
  indices?: string;
  snapshotIntervalMs?: string;
}

/** HKDCNY at the first FX row when no index file gives `referenceFx` (PBoC parity, 27 Mar 2025). */
const DEFAULT_START_FX = '0.92294';
const FALLBACK_START_DATE = '2025-03-20';

/** Accepts a dataset directory holding indices/, or the indices directory itself; returns the dataset directory. */
function datasetDirOf(dir: string): string {
  if (existsSync(join(dir, 'indices'))) return dir;
  if (basename(dir) === 'indices' && existsSync(dir)) return dirname(dir);
  throw new DatasetError(dir, 'holds no indices/ directory and is not one');
}

function readIndexFiles(datasetDir: string): IndexFileContent[] {
  const dir = join(datasetDir, 'indices');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as IndexFileContent);
}

/** One simulated symbol per distinct constituent, priced from each constituent's `referencePrice`. */
function symbolsOf(indexFiles: readonly IndexFileContent[]): SimulatedSymbol[] {
  const prices = new Map<string, string>();
  const missing: string[] = [];
  for (const index of indexFiles) {
    const constituents = Array.isArray(index.constituents)
      ? (index.constituents as Record<string, unknown>[])
      : [];
    for (const c of constituents) {
      const symbol = String(c.symbol);
      const price = c.referencePrice;
      if (typeof price !== 'string') {
        missing.push(`${index.id}:${symbol}`);
        continue;
      }
      const seen = prices.get(symbol);
      if (seen !== undefined && seen !== price) {
        throw new SimulationInputError(
          `referencePrice of ${symbol}`,
          price,
          `the same price in every index (another index gives ${seen})`,
        );
      }
      prices.set(symbol, price);
    }
  }
  if (missing.length > 0)
    throw new SimulationInputError(
      'constituents without referencePrice',
      missing,
      'a "referencePrice" decimal string on every constituent',
    );
  return [...prices.keys()].sort().map((symbol) => ({ symbol, referencePrice: prices.get(symbol)! }));
}

/** The first weekday after the indices' `referenceDate` (their reference prices are that day's closes). */
function defaultStartDate(indexFiles: readonly IndexFileContent[]): string {
  const reference = indexFiles
    .map((i) => i.referenceDate)
    .find((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d));
  if (reference === undefined) return FALLBACK_START_DATE;
  let date = addCalendarDays(reference, 1);
  while (!isWeekday(date)) date = addCalendarDays(date, 1);
  return date;
}

function integerFlag(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value))
    throw new SimulationInputError(name, text, 'a non-negative integer');
  return value;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(COMMAND_SUMMARIES.simulate)
    .requiredOption('--out <dir>', 'dataset directory to write')
    .option(
      '--seed <n>',
      'seed of the simulation (unsigned 32-bit); the same seed writes the same bytes',
      '1',
    )
    .option('--days <n>', 'number of trading days', '1')
    .option(
      '--start-date <date>',
      "first trading day, YYYY-MM-DD (default: the weekday after the indices' referenceDate)",
    )
    .option(
      '--indices <dir>',
      'dataset directory with indices/*.json (or the indices directory); constituents need "referencePrice" (default: the seed indices)',
    )
    .option(
      '--snapshot-interval-ms <ms>',
      'A-share snapshot spacing, a multiple of 3000 (default 3000, the exchange cadence)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  pnpm indexflow simulate --out sim --days 5\n  pnpm indexflow simulate --out sim --seed 7 --snapshot-interval-ms 60000 && pnpm indexflow replay sim --out levels.csv\n',
    )
    .action((flags: SimulateFlags) => {
      try {
        const datasetDir = datasetDirOf(resolve(flags.indices ?? SAMPLE_DIR));
        const definitions = readIndexDefinitions(datasetDir);
        const indexFiles = readIndexFiles(datasetDir);
        const symbols = symbolsOf(indexFiles);
        const referenceFx = indexFiles
          .map((i) => i.referenceFx)
          .find((fx): fx is string => typeof fx === 'string');
        const out = resolve(flags.out);
        const startDate = flags.startDate ?? defaultStartDate(indexFiles);
        const summary = writeDataset(out, {
          indices: indexFiles,
          rows: simulateMarket({
            seed: integerFlag('--seed', flags.seed),
            startDate,
            days: integerFlag('--days', flags.days),
            symbols,
            fx: { pair: 'HKDCNY', start: referenceFx ?? DEFAULT_START_FX },
            ...(flags.snapshotIntervalMs === undefined
              ? {}
              : { snapshotIntervalMs: integerFlag('--snapshot-interval-ms', flags.snapshotIntervalMs) }),
          }),
        });
        const megabytes = Object.values(summary.bytes).reduce((a, b) => a + b, 0) / 1e6;
        process.stderr.write(
          `simulate: ${definitions.length} indices, ${summary.symbols} symbols, ${summary.days} days from ${startDate} → ${summary.ticks} ticks, ${summary.fxRates} fx rates` +
            ` (${summary.ticks + summary.fxRates} rows, ${megabytes.toFixed(1)} MB) in ${out}\n`,
        );
      } catch (error) {
        if (error instanceof SimulationInputError || error instanceof DatasetError) {
          process.stderr.write(`error: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
    });
}
