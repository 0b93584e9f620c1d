import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  type AnnualisationConvention,
  ClosesCsvError,
  DEFAULT_ANNUALISATION,
  Dec,
  type IndexCloses,
  performanceStats,
  type ReturnAnnualisation,
  readClosesCsv,
  renderLevelChartSvg,
  renderStatsCsv,
  renderStatsJson,
  renderStatsTable,
} from '@indexflow/index-analytics';
import type { Command } from 'commander';

interface StatsFlags {
  closes?: string;
  index?: string[];
  format: string;
  riskFree: string;
  annualise: string;
  tradingDaysPerYear: string;
  chart?: string;
  chartRebase?: string;
}

/** Where the command writes; tests pass buffers. */
export interface StatsCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const FORMATS = ['table', 'csv', 'json'] as const;
const RETURN_BASES: readonly ReturnAnnualisation[] = ['calendar-days', 'trading-days'];

/** A flag value the command cannot use; printed as `error: …` with exit code 2. */
class StatsUsageError extends Error {
  override readonly name = 'StatsUsageError';
}

/** Parses `0.015`, `1.5%` or `-0.5%` into a fraction. */
function parseRate(text: string): Dec {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!match)
    throw new StatsUsageError(
      `--risk-free was "${text}", expected a fraction such as 0.015 or a percentage such as 1.5%`,
    );
  const value = new Dec(match[1]!);
  return match[2] === '%' ? value.div(100) : value;
}

function parseConvention(flags: StatsFlags): AnnualisationConvention {
  if (!RETURN_BASES.includes(flags.annualise as ReturnAnnualisation)) {
    throw new StatsUsageError(
      `--annualise was "${flags.annualise}", expected one of ${RETURN_BASES.join(', ')}`,
    );
  }
  const tradingDaysPerYear = Number(flags.tradingDaysPerYear);
  if (!Number.isInteger(tradingDaysPerYear) || tradingDaysPerYear <= 0) {
    throw new StatsUsageError(
      `--trading-days-per-year was "${flags.tradingDaysPerYear}", expected a positive integer such as 252`,
    );
  }
  return {
    ...DEFAULT_ANNUALISATION,
    returnBasis: flags.annualise as ReturnAnnualisation,
    tradingDaysPerYear,
  };
}

function loadSeries(flags: StatsFlags): IndexCloses[] {
  if (flags.closes === undefined) {
    // `--index` alone will read the end-of-day history store once it exists; failing loudly beats guessing a file.
    throw new StatsUsageError(
      flags.index?.length
        ? `--index ${flags.index.join(' ')} needs --closes <file.csv>: the end-of-day history store does not exist yet`
        : 'give --closes <file.csv> (date,close[,index] rows)',
    );
  }
  let all: IndexCloses[];
  try {
    all = readClosesCsv(resolve(flags.closes));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new StatsUsageError(`--closes was "${flags.closes}", which cannot be read (${code})`);
    }
    throw error;
  }
  if (!flags.index?.length) return all;
  return flags.index.map((id) => {
    const found = all.find((s) => s.indexId === id);
    if (!found)
      throw new StatsUsageError(
        `--index was "${id}", which ${flags.closes} does not contain; it has ${all.map((s) => s.indexId).join(', ')}`,
      );
    return found;
  });
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Registers `indexflow stats`: yearly and whole-period performance statistics of index closes. */
export function registerStatsCommand(program: Command, io: StatsCommandIo = process): void {
  program
    .command('stats')
    .description(
      'per-year and whole-period return, annualised return, volatility, Sharpe ratio and max drawdown of index closes',
    )
    .option(
      '--closes <file.csv>',
      'closes CSV: date,close with an optional index column (YYYY-MM-DD, decimal closes)',
    )
    .option('--index <id>', 'index to report, repeatable (default: every index in the file)', collect)
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'table')
    .option('--risk-free <rate>', 'annual risk-free rate for the Sharpe ratio, e.g. 0.015 or 1.5%', '0')
    .option(
      '--annualise <basis>',
      `annualised-return basis: ${RETURN_BASES.join(' (ACT/365), ')}`,
      DEFAULT_ANNUALISATION.returnBasis,
    )
    .option(
      '--trading-days-per-year <n>',
      'scales daily volatility (× √n) and trading-day annualisation',
      String(DEFAULT_ANNUALISATION.tradingDaysPerYear),
    )
    .option('--chart <out.svg>', 'also write an SVG line chart of the level history')
    .option('--chart-rebase <level>', 'rebase every index to this level at its first close in the chart')
    .addHelpText(
      'after',
      '\nExamples:\n  pnpm indexflow stats --closes closes.csv\n  pnpm indexflow stats --closes closes.csv --index CSI300 --format json --risk-free 1.5% --chart levels.svg\n',
    )
    .action((flags: StatsFlags) => {
      try {
        if (!(FORMATS as readonly string[]).includes(flags.format)) {
          throw new StatsUsageError(`--format was "${flags.format}", expected one of ${FORMATS.join(', ')}`);
        }
        const riskFreeRate = parseRate(flags.riskFree);
        const convention = parseConvention(flags);
        const rebaseTo = flags.chartRebase === undefined ? undefined : Number(flags.chartRebase);
        if (rebaseTo !== undefined && !(Number.isFinite(rebaseTo) && rebaseTo > 0)) {
          throw new StatsUsageError(
            `--chart-rebase was "${flags.chartRebase}", expected a positive level such as 1000`,
          );
        }
        const series = loadSeries(flags);
        const stats = series.map((s) => performanceStats(s, { riskFreeRate, convention }));
        const render = { table: renderStatsTable, csv: renderStatsCsv, json: renderStatsJson }[
          flags.format as (typeof FORMATS)[number]
        ];
        io.stdout.write(render(stats));
        if (flags.chart !== undefined) {
          const out = resolve(flags.chart);
          mkdirSync(dirname(out), { recursive: true });
          writeFileSync(out, renderLevelChartSvg(series, rebaseTo === undefined ? {} : { rebaseTo }));
          io.stderr.write(`chart written to ${out}\n`);
        }
      } catch (error) {
        if (error instanceof StatsUsageError || error instanceof ClosesCsvError) {
          io.stderr.write(`error: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
    });
}
