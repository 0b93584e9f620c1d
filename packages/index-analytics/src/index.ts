export {
  type AnnualisationConvention,
  DEFAULT_ANNUALISATION,
  describeConventions,
  minimumYear,
  type ReturnAnnualisation,
} from './annualisation-convention.js';
export { ChartRenderError, renderChartPng } from './chart-png.js';
export {
  type DailyClose,
  type IndexCloses,
  type ParseClosesOptions,
  parseClosesCsv,
  readClosesCsv,
} from './closes.js';
export { ClosesCsvError, type ClosesCsvErrorDetails, type ClosesCsvProblem } from './closes-csv-error.js';
export { Dec } from './decimal.js';
export { type ChartMeasure, type LevelChartOptions, renderLevelChartSvg } from './level-chart.js';
export {
  annualisedVolatility,
  annualiseReturn,
  calendarDaysBetween,
  type Drawdown,
  dailyLogReturns,
  maxDrawdown,
  type PerformanceStats,
  type PerformanceStatsOptions,
  type PeriodStats,
  performanceStats,
  periodStats,
  sharpeRatio,
  shortOfAYear,
  type YearStats,
} from './performance-stats.js';
export { renderStatsCsv, renderStatsJson, renderStatsTable } from './stats-table.js';
