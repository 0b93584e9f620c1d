import { csvRow } from '@indexflow/dataset-files';
import { describeConventions } from './annualisation-convention.js';
import type { Dec } from './decimal.js';
import type { PerformanceStats, PeriodStats, YearStats } from './performance-stats.js';

const MISSING = '—';

function percent(value: Dec | null, places = 2): string {
  return value === null ? MISSING : `${value.times(100).toFixed(places)}%`;
}

/** The rate as given (1.5% stays 1.5%, not 1.50%): it is an input, not a rounded statistic. */
function percentExact(value: Dec): string {
  return `${value.times(100).toFixed()}%`;
}

function ratio(value: Dec | null): string {
  return value === null ? MISSING : value.toFixed(3);
}

// CJK characters take two terminal columns; counting them as one would misalign every column after 累计.
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        char,
      )
        ? 2
        : 1;
  return width;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

/** The years present in any of the indices, ascending. */
function allYears(stats: readonly PerformanceStats[]): number[] {
  return [...new Set(stats.flatMap((s) => s.years.map((y) => y.year)))].sort((a, b) => a - b);
}

/** Years that are not complete in at least one index, with the dates they cover. */
function partialYearNotes(stats: readonly PerformanceStats[]): Map<number, string> {
  const notes = new Map<number, string>();
  for (const s of stats) {
    for (const y of s.years) {
      if (!y.fullYear && !notes.has(y.year))
        notes.set(y.year, `${y.year}: ${y.baseDate} to ${y.endDate} (part of the year)`);
    }
  }
  return notes;
}

/**
 * Renders the statistics as a text table in the layout of a fact sheet's yearly-returns table: one
 * row per calendar year, then cumulative, annualised, volatility, Sharpe and maximum drawdown, one
 * column per index. Partial years are starred and the conventions are stated under the table.
 */
export function renderStatsTable(stats: readonly PerformanceStats[]): string {
  const first = stats[0];
  if (!first) throw new RangeError('stats was empty; a table needs at least one index');
  const notes = partialYearNotes(stats);
  const yearOf = (s: PerformanceStats, year: number): YearStats | undefined =>
    s.years.find((y) => y.year === year);
  const rows: string[][] = [['年份 Year', ...stats.map((s) => s.indexId)]];
  for (const year of allYears(stats)) {
    rows.push([
      notes.has(year) ? `${year}*` : String(year),
      ...stats.map((s) => percent(yearOf(s, year)?.return ?? null)),
    ]);
  }
  const totalRow = (label: string, cell: (total: PeriodStats) => string) => [
    label,
    ...stats.map((s) => cell(s.total)),
  ];
  rows.push(
    totalRow('累计 Cumulative', (t) => percent(t.return)),
    totalRow('年化 Annualised', (t) => percent(t.annualisedReturn)),
    totalRow('波动率 Volatility', (t) => percent(t.annualisedVolatility)),
    // The rate sits in the label because a Sharpe ratio means nothing without the rate it was taken over.
    totalRow(`夏普比率 Sharpe (rf ${percentExact(first.riskFreeRate)})`, (t) => ratio(t.sharpeRatio)),
    totalRow('最大回撤 Max drawdown', (t) => percent(t.maxDrawdown.depth)),
    totalRow('回撤起点 Drawdown peak', (t) =>
      t.maxDrawdown.depth.isZero() ? MISSING : t.maxDrawdown.peakDate,
    ),
    totalRow('回撤低点 Drawdown trough', (t) =>
      t.maxDrawdown.depth.isZero() ? MISSING : t.maxDrawdown.troughDate,
    ),
  );
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => displayWidth(row[column]!))));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === 0 ? padEnd(cell, widths[0]!) : padStart(cell, widths[column]!)))
      .join('  '),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const periods = stats.map((s) => `${s.indexId} ${s.total.baseDate} to ${s.total.endDate}`).join('; ');
  const short = stats.filter((s) => s.total.notAnnualised !== null);
  const footer = [
    ...[...notes.values()].map((note) => `* ${note}`),
    ...short.map((s) => `— ${s.indexId}: ${s.total.notAnnualised}`),
    `Period: ${periods}`,
    `Conventions: ${describeConventions(first.convention, first.riskFreeRate)}`,
  ];
  return `${lines.join('\n')}\n\n${footer.join('\n')}\n`;
}

const CSV_HEADER = [
  'index',
  'period',
  'base_date',
  'end_date',
  'trading_days',
  'calendar_days',
  'return',
  'cumulative_return',
  'annualised_return',
  'annualised_volatility',
  'sharpe_ratio',
  'risk_free_rate',
  'not_annualised',
  'max_drawdown',
  'max_drawdown_peak_date',
  'max_drawdown_trough_date',
  'full_year',
];

// Twelve decimal places of a fraction are far beyond the inputs' accuracy and keep the CSV readable.
function csvNumber(value: Dec | null): string {
  return value === null ? '' : value.toDecimalPlaces(12).toFixed();
}

function statsCsvRow(
  indexId: string,
  period: string,
  riskFreeRate: Dec,
  stats: PeriodStats,
  cumulative: Dec,
  fullYear: string,
): string {
  return csvRow([
    indexId,
    period,
    stats.baseDate,
    stats.endDate,
    String(stats.tradingDays),
    String(stats.calendarDays),
    csvNumber(stats.return),
    csvNumber(cumulative),
    csvNumber(stats.annualisedReturn),
    csvNumber(stats.annualisedVolatility),
    csvNumber(stats.sharpeRatio),
    riskFreeRate.toFixed(),
    stats.notAnnualised ?? '',
    csvNumber(stats.maxDrawdown.depth),
    stats.maxDrawdown.peakDate,
    stats.maxDrawdown.troughDate,
    fullYear,
  ]);
}

/**
 * Renders one CSV row per (index, year) and one `total` row per index, numbers as fractions
 * (0.1208 for 12.08%). The first line is a `#` comment stating the conventions. A period too short
 * to annualise has empty annualised cells and the reason in `not_annualised`; every row repeats
 * the risk-free rate so a row read on its own still says what its Sharpe ratio was taken over.
 */
export function renderStatsCsv(stats: readonly PerformanceStats[]): string {
  const first = stats[0];
  if (!first) throw new RangeError('stats was empty; a CSV needs at least one index');
  const lines = [`# ${describeConventions(first.convention, first.riskFreeRate)}`, CSV_HEADER.join(',')];
  for (const s of stats) {
    for (const y of s.years)
      lines.push(
        statsCsvRow(s.indexId, String(y.year), s.riskFreeRate, y, y.cumulativeReturn, String(y.fullYear)),
      );
    lines.push(statsCsvRow(s.indexId, 'total', s.riskFreeRate, s.total, s.total.return, ''));
  }
  return `${lines.join('\n')}\n`;
}

function periodJson(stats: PeriodStats) {
  return {
    baseDate: stats.baseDate,
    endDate: stats.endDate,
    tradingDays: stats.tradingDays,
    calendarDays: stats.calendarDays,
    return: stats.return.toFixed(),
    annualisedReturn: stats.annualisedReturn?.toFixed() ?? null,
    notAnnualised: stats.notAnnualised,
    annualisedVolatility: stats.annualisedVolatility?.toFixed() ?? null,
    sharpeRatio: stats.sharpeRatio?.toFixed() ?? null,
    maxDrawdown: {
      depth: stats.maxDrawdown.depth.toFixed(),
      peakDate: stats.maxDrawdown.peakDate,
      peakClose: stats.maxDrawdown.peakClose.toFixed(),
      troughDate: stats.maxDrawdown.troughDate,
      troughClose: stats.maxDrawdown.troughClose.toFixed(),
    },
  };
}

/** Renders the statistics as JSON; every number is a decimal string so no digit is lost to a float. */
export function renderStatsJson(stats: readonly PerformanceStats[]): string {
  const first = stats[0];
  if (!first) throw new RangeError('stats was empty; JSON output needs at least one index');
  const document = {
    conventions: {
      ...first.convention,
      riskFreeRate: first.riskFreeRate.toFixed(),
      volatility: 'sample standard deviation of daily log returns',
      description: describeConventions(first.convention, first.riskFreeRate),
    },
    indices: stats.map((s) => ({
      indexId: s.indexId,
      years: s.years.map((y) => ({
        year: y.year,
        fullYear: y.fullYear,
        cumulativeReturn: y.cumulativeReturn.toFixed(),
        ...periodJson(y),
      })),
      total: periodJson(s.total),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
