import {
  type AnnualisationConvention,
  DEFAULT_ANNUALISATION,
  minimumYear,
} from './annualisation-convention.js';
import type { DailyClose, IndexCloses } from './closes.js';
import { Dec } from './decimal.js';

/** The deepest fall from a running peak. `depth` is ≤ 0 (−0.35 is a 35% drawdown). */
export interface Drawdown {
  readonly depth: Dec;
  readonly peakDate: string;
  readonly peakClose: Dec;
  readonly troughDate: string;
  readonly troughClose: Dec;
}

/** Statistics of one stretch of closes, measured from its first (base) close. */
export interface PeriodStats {
  /** Date of the base close the return is measured from. */
  readonly baseDate: string;
  readonly endDate: string;
  /** Number of daily returns (closes − 1). */
  readonly tradingDays: number;
  readonly calendarDays: number;
  readonly return: Dec;
  /** Null over less than a year (see `notAnnualised`): a single day's move raised to 365 means nothing. */
  readonly annualisedReturn: Dec | null;
  /** Null over less than a year, or with fewer than two daily returns (a standard deviation needs two). */
  readonly annualisedVolatility: Dec | null;
  /** Null when either of the above is null, or the volatility is zero. */
  readonly sharpeRatio: Dec | null;
  /** Why the annualised figures are null, or null when they are given. */
  readonly notAnnualised: string | null;
  readonly maxDrawdown: Drawdown;
}

/** One calendar year: from the last close of the previous year (or the first close) to the year's last close. */
export interface YearStats extends PeriodStats {
  readonly year: number;
  /** Return from the first close of the series to this year's last close. */
  readonly cumulativeReturn: Dec;
  /** False for a year that the data starts after its beginning or ends before its last trading day. */
  readonly fullYear: boolean;
}

export interface PerformanceStats {
  readonly indexId: string;
  readonly years: readonly YearStats[];
  /** The whole history; its `return` is the cumulative return. */
  readonly total: PeriodStats;
  readonly convention: AnnualisationConvention;
  readonly riskFreeRate: Dec;
}

export interface PerformanceStatsOptions {
  /** Annual risk-free rate as a fraction (0.015 for 1.5%). Default 0. */
  readonly riskFreeRate?: Dec;
  readonly convention?: AnnualisationConvention;
}

const MS_PER_DAY = 86_400_000;
const ZERO = new Dec(0);
const ONE = new Dec(1);

function dayNumber(date: string): number {
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY
  );
}

/** Returns the calendar days from `from` to `to` (ACT). */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Returns (1 + periodReturn)^(yearLength / periodLength) − 1. */
export function annualiseReturn(periodReturn: Dec, periodLength: number, yearLength: number): Dec {
  if (periodLength <= 0)
    throw new RangeError(`period length was ${periodLength}; it must be positive to annualise`);
  // exp(ln(x)·k) rather than pow: decimal.js computes a non-integer power the same way, and this states it.
  return Dec.exp(ONE.plus(periodReturn).ln().times(yearLength).div(periodLength)).minus(ONE);
}

/** Returns ln(close_t / close_t−1) for each consecutive pair of closes. */
export function dailyLogReturns(closes: readonly DailyClose[]): Dec[] {
  const logReturns: Dec[] = [];
  for (let i = 1; i < closes.length; i++) logReturns.push(closes[i]!.close.div(closes[i - 1]!.close).ln());
  return logReturns;
}

/** Returns the sample standard deviation (n − 1) of daily log returns × √tradingDaysPerYear, or null below two returns. */
export function annualisedVolatility(logReturns: readonly Dec[], tradingDaysPerYear: number): Dec | null {
  if (logReturns.length < 2) return null;
  const mean = Dec.sum(...logReturns).div(logReturns.length);
  const squares = logReturns.map((r) => r.minus(mean).pow(2));
  const variance = Dec.sum(...squares).div(logReturns.length - 1);
  return variance.times(tradingDaysPerYear).sqrt();
}

/** Returns the Sharpe ratio, or null when there is no volatility to divide by. */
export function sharpeRatio(annualisedReturn: Dec, volatility: Dec | null, riskFreeRate: Dec): Dec | null {
  if (volatility === null || volatility.isZero()) return null;
  return annualisedReturn.minus(riskFreeRate).div(volatility);
}

/** Returns the deepest close-to-close fall from a running peak; depth 0 at the first close when the series never falls. */
export function maxDrawdown(closes: readonly DailyClose[]): Drawdown {
  const first = closes[0];
  if (!first) throw new RangeError('closes was empty; a drawdown needs at least one close');
  let peak = first;
  let worst: Drawdown = {
    depth: ZERO,
    peakDate: first.date,
    peakClose: first.close,
    troughDate: first.date,
    troughClose: first.close,
  };
  for (const point of closes) {
    if (point.close.gt(peak.close)) {
      peak = point;
      continue;
    }
    const depth = point.close.div(peak.close).minus(ONE);
    if (depth.lt(worst.depth)) {
      worst = {
        depth,
        peakDate: peak.date,
        peakClose: peak.close,
        troughDate: point.date,
        troughClose: point.close,
      };
    }
  }
  return worst;
}

/** Why a period is too short to annualise, or null when it spans a year. */
export function shortOfAYear(
  calendarDays: number,
  tradingDays: number,
  convention: AnnualisationConvention,
): string | null {
  const { days, unit } = minimumYear(convention);
  const have = convention.returnBasis === 'calendar-days' ? calendarDays : tradingDays;
  if (have >= days) return null;
  const haveUnit = have === 1 ? unit.slice(0, -1) : unit;
  return `annualised only over a year of closes (${days}+ ${unit}); this period has ${have} ${haveUnit}`;
}

/** Returns the statistics of `closes` measured from its first close. Needs at least two closes. */
export function periodStats(
  closes: readonly DailyClose[],
  riskFreeRate: Dec,
  convention: AnnualisationConvention = DEFAULT_ANNUALISATION,
  // ln at 40 digits dominates the run time, so performanceStats computes the series' log returns once and passes slices.
  logReturns: readonly Dec[] = dailyLogReturns(closes),
): PeriodStats {
  const base = closes[0];
  const last = closes.at(-1);
  if (!base || !last || closes.length < 2)
    throw new RangeError(`closes had ${closes.length} entries; a return needs at least 2`);
  const tradingDays = closes.length - 1;
  const calendarDays = calendarDaysBetween(base.date, last.date);
  const periodReturn = last.close.div(base.close).minus(ONE);
  const notAnnualised = shortOfAYear(calendarDays, tradingDays, convention);
  const annualisedReturn =
    notAnnualised !== null
      ? null
      : convention.returnBasis === 'calendar-days'
        ? annualiseReturn(periodReturn, calendarDays, convention.daysPerYear)
        : annualiseReturn(periodReturn, tradingDays, convention.tradingDaysPerYear);
  const volatility =
    notAnnualised !== null ? null : annualisedVolatility(logReturns, convention.tradingDaysPerYear);
  return {
    notAnnualised,
    baseDate: base.date,
    endDate: last.date,
    tradingDays,
    calendarDays,
    return: periodReturn,
    annualisedReturn,
    annualisedVolatility: volatility,
    sharpeRatio: annualisedReturn === null ? null : sharpeRatio(annualisedReturn, volatility, riskFreeRate),
    maxDrawdown: maxDrawdown(closes),
  };
}

/**
 * Returns per-calendar-year and whole-period statistics of one index. A year's return runs from
 * the last close of the previous year (the first close for the first year) to the year's last
 * close, so the yearly returns compound exactly to the cumulative return. A year holding only the
 * base close (e.g. a series starting on 31 December) has no return and no row.
 */
export function performanceStats(
  series: IndexCloses,
  options: PerformanceStatsOptions = {},
): PerformanceStats {
  const riskFreeRate = options.riskFreeRate ?? ZERO;
  const convention = options.convention ?? DEFAULT_ANNUALISATION;
  const { closes } = series;
  const first = closes[0];
  if (!first || closes.length < 2) {
    throw new RangeError(`index ${series.indexId} had ${closes.length} closes; statistics need at least 2`);
  }
  const logReturns = dailyLogReturns(closes);
  const years: YearStats[] = [];
  let start = 0;
  while (start < closes.length) {
    const year = closes[start]!.date.slice(0, 4);
    let end = start;
    while (end + 1 < closes.length && closes[end + 1]!.date.startsWith(year)) end++;
    // The base is the previous year's last close, which sits just before this year's first close.
    const baseIndex = start === 0 ? 0 : start - 1;
    const slice = closes.slice(baseIndex, end + 1);
    if (slice.length >= 2) {
      const last = closes[end]!;
      years.push({
        ...periodStats(slice, riskFreeRate, convention, logReturns.slice(baseIndex, end)),
        year: Number(year),
        cumulativeReturn: last.close.div(first.close).minus(ONE),
        fullYear: start > 0 && (end + 1 < closes.length || last.date.endsWith('-12-31')),
      });
    }
    start = end + 1;
  }
  return {
    indexId: series.indexId,
    years,
    total: periodStats(closes, riskFreeRate, convention),
    convention,
    riskFreeRate,
  };
}
