import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import {
  type AnnualisationConvention,
  type ChartMeasure,
  ChartRenderError,
  ClosesCsvError,
  DEFAULT_ANNUALISATION,
  Dec,
  type IndexCloses,
  minimumYear,
  performanceStats,
  type ReturnAnnualisation,
  readClosesCsv,
  renderChartPng,
  renderLevelChartSvg,
  renderStatsCsv,
  renderStatsJson,
  renderStatsTable,
} from '@indexflow/index-analytics';
import type { Command } from 'commander';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { EodUsageError, openCloseHistory } from '../eod/close-history-from-env.js';
import { type CloseHistoryReader, closesFromHistory, NoCloseHistoryError } from '../eod/closes-for-stats.js';

interface StatsFlags {
  closes?: string;
  index?: string[];
  format: string;
  riskFree: string;
  annualise: string;
  tradingDaysPerYear: string;
  chart?: string;
  chartMeasure: string;
  chartRebase?: string;
  from?: string;
  to?: string;
}

/** Where the command writes; tests pass buffers. */
export interface StatsCommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** Opens the close history for `--index` without `--closes`; tests pass a fake. */
export type OpenStatsHistory = (
  env: Record<string, string | undefined>,
) => Promise<{ history: CloseHistoryReader; close: () => void }>;

const openRedisHistory: OpenStatsHistory = async (env) => {
  const { history, redis } = await openCloseHistory(env);
  return { history, close: () => redis.disconnect() };
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const FORMATS = ['table', 'csv', 'json'] as const;
const RETURN_BASES: readonly ReturnAnnualisation[] = ['calendar-days', 'trading-days'];
const CHART_MEASURES: Readonly<Record<string, ChartMeasure>> = {
  cumulative: 'cumulative-return',
  level: 'level',
};
const CHART_FORMATS = ['.png', '.svg'] as const;

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

function yearRule(convention: AnnualisationConvention): string {
  const { days, unit } = minimumYear(convention);
  return `${days}+ ${unit}`;
}

interface ChartRequest {
  readonly file: string;
  readonly png: boolean;
  readonly measure: ChartMeasure;
  readonly rebaseTo?: number;
}

/** Checks the chart flags before any closes are read, so a typo costs no Redis round trip. */
function parseChart(flags: StatsFlags): ChartRequest | undefined {
  const measure = CHART_MEASURES[flags.chartMeasure];
  if (measure === undefined)
    throw new StatsUsageError(
      `--chart-measure was "${flags.chartMeasure}", expected one of ${Object.keys(CHART_MEASURES).join(', ')}`,
    );
  const rebaseTo = flags.chartRebase === undefined ? undefined : Number(flags.chartRebase);
  if (rebaseTo !== undefined && !(Number.isFinite(rebaseTo) && rebaseTo > 0))
    throw new StatsUsageError(
      `--chart-rebase was "${flags.chartRebase}", expected a positive level such as 1000`,
    );
  if (rebaseTo !== undefined && measure !== 'level')
    throw new StatsUsageError(
      `--chart-rebase was "${flags.chartRebase}", which rebases levels: add --chart-measure level`,
    );
  if (flags.chart === undefined) return undefined;
  const format = extname(flags.chart).toLowerCase();
  if (!(CHART_FORMATS as readonly string[]).includes(format))
    throw new StatsUsageError(`--chart was "${flags.chart}", expected a file ending in .png or .svg`);
  return {
    file: resolve(flags.chart),
    png: format === '.png',
    measure,
    ...(rebaseTo === undefined ? {} : { rebaseTo }),
  };
}

async function writeChart(
  chart: ChartRequest,
  series: readonly IndexCloses[],
  io: StatsCommandIo,
): Promise<void> {
  const svg = renderLevelChartSvg(series, {
    measure: chart.measure,
    ...(chart.rebaseTo === undefined ? {} : { rebaseTo: chart.rebaseTo }),
  });
  mkdirSync(dirname(chart.file), { recursive: true });
  writeFileSync(chart.file, chart.png ? await renderChartPng(svg) : svg);
  io.stderr.write(`chart written to ${chart.file}\n`);
}

function readFileSeries(file: string, indexIds: readonly string[] | undefined): IndexCloses[] {
  let all: IndexCloses[];
  try {
    all = readClosesCsv(resolve(file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new StatsUsageError(`--closes was "${file}", which cannot be read (${code})`);
    }
    throw error;
  }
  if (!indexIds?.length) return all;
  return indexIds.map((id) => {
    const found = all.find((s) => s.indexId === id);
    if (!found)
      throw new StatsUsageError(
        `--index was "${id}", which ${file} does not contain; it has ${all.map((s) => s.indexId).join(', ')}`,
      );
    return found;
  });
}

/** Keeps the closes within [--from, --to]; a series left with fewer than two has no return. */
function window(series: IndexCloses[], flags: StatsFlags): IndexCloses[] {
  if (flags.from === undefined && flags.to === undefined) return series;
  return series.map((s) => {
    const closes = s.closes.filter(
      (c) =>
        (flags.from === undefined || c.date >= flags.from) && (flags.to === undefined || c.date <= flags.to),
    );
    if (closes.length < 2)
      throw new StatsUsageError(
        `index ${s.indexId} has ${closes.length} close between ${flags.from ?? 'the start'} and ${flags.to ?? 'the end'}; at least 2 are needed for a return`,
      );
    return { indexId: s.indexId, closes };
  });
}

/**
 * The series come from exactly one source: `--closes <file>` (where `--index` picks indices of
 * the file), or, with `--index` alone, the Redis close history that `indexflow history` reads.
 */
async function loadSeries(
  flags: StatsFlags,
  openHistory: OpenStatsHistory,
  env: Record<string, string | undefined>,
): Promise<IndexCloses[]> {
  for (const [flag, value] of [
    ['--from', flags.from],
    ['--to', flags.to],
  ] as const)
    if (value !== undefined && !DATE.test(value))
      throw new StatsUsageError(`${flag} was "${value}", expected YYYY-MM-DD`);
  if (flags.closes !== undefined) return window(readFileSeries(flags.closes, flags.index), flags);
  if (!flags.index?.length)
    throw new StatsUsageError(
      'give --closes <file.csv> (date,close[,index] rows) or --index <id> to read the close history (REDIS_URL)',
    );
  const { history, close } = await openHistory(env);
  try {
    return await closesFromHistory(history, flags.index, {
      ...(flags.from === undefined ? {} : { from: flags.from }),
      ...(flags.to === undefined ? {} : { to: flags.to }),
    });
  } finally {
    close();
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Registers `indexflow stats`: yearly and whole-period performance statistics of index closes. */
export function registerStatsCommand(
  program: Command,
  io: StatsCommandIo = process,
  deps: { openHistory?: OpenStatsHistory; env?: Record<string, string | undefined> } = {},
): void {
  const openHistory = deps.openHistory ?? openRedisHistory;
  program
    .command('stats')
    .description(COMMAND_SUMMARIES.stats)
    .option(
      '--closes <file.csv>',
      'closes CSV: date,close with an optional index column (YYYY-MM-DD, decimal closes)',
    )
    .option(
      '--index <id>',
      'index to report, repeatable: picks indices of --closes, or without --closes reads their official closes from the close history (REDIS_URL, TOPIC_PREFIX)',
      collect,
    )
    .option('--from <date>', 'first date, YYYY-MM-DD (inclusive)')
    .option('--to <date>', 'last date, YYYY-MM-DD (inclusive)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'table')
    .option(
      '--risk-free <rate>',
      'annual risk-free rate the Sharpe ratio is taken over, e.g. 0.015 or 1.5%; printed beside the Sharpe figure',
      '0',
    )
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
    .option(
      '--chart <file>',
      'also write a line chart, one line per index: PNG for a .png file (same closes, same bytes), SVG for .svg',
    )
    .option(
      '--chart-measure <measure>',
      `what the chart plots: ${Object.keys(CHART_MEASURES).join(' (return since each index’s first close), ')} (the closes)`,
      'cumulative',
    )
    .option(
      '--chart-rebase <level>',
      'with --chart-measure level: rebase every index to this level at its first close (1000 as in fact sheets)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Annualised return, volatility and Sharpe need a year of closes:',
        `${yearRule(DEFAULT_ANNUALISATION)} from the first to the last close`,
        `(${yearRule({ ...DEFAULT_ANNUALISATION, returnBasis: 'trading-days' })} with --annualise trading-days);`,
        'shorter periods show — and the reason.',
        '',
        'Examples:',
        '  pnpm indexflow stats --closes closes.csv',
        '  pnpm indexflow stats --closes closes.csv --risk-free 1.5% --format csv > stats.csv',
        '  pnpm indexflow stats --closes closes.csv --index CSI300 --format json --chart performance.png',
        '  pnpm indexflow stats --closes closes.csv --chart levels.svg --chart-measure level --chart-rebase 1000',
        '  pnpm indexflow stats --index 995366.SSI --from 2025-01-01',
        '',
      ].join('\n'),
    )
    .action(async (flags: StatsFlags) => {
      try {
        if (!(FORMATS as readonly string[]).includes(flags.format)) {
          throw new StatsUsageError(`--format was "${flags.format}", expected one of ${FORMATS.join(', ')}`);
        }
        const riskFreeRate = parseRate(flags.riskFree);
        const convention = parseConvention(flags);
        const chart = parseChart(flags);
        const series = await loadSeries(flags, openHistory, deps.env ?? process.env);
        const stats = series.map((s) => performanceStats(s, { riskFreeRate, convention }));
        const render = { table: renderStatsTable, csv: renderStatsCsv, json: renderStatsJson }[
          flags.format as (typeof FORMATS)[number]
        ];
        io.stdout.write(render(stats));
        if (chart !== undefined) await writeChart(chart, series, io);
      } catch (error) {
        if (
          error instanceof StatsUsageError ||
          error instanceof ClosesCsvError ||
          error instanceof EodUsageError ||
          error instanceof ChartRenderError ||
          error instanceof NoCloseHistoryError
        ) {
          io.stderr.write(`error: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
    });
}
