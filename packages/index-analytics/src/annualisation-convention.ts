import type { Dec } from './decimal.js';

/**
 * How a period's return is scaled to a year:
 * - `calendar-days`: (1 + R)^(daysPerYear / calendar days from the base close to the last close) − 1,
 *   i.e. ACT/365. Independent of the trading calendar and of gaps in the data.
 * - `trading-days`: (1 + R)^(tradingDaysPerYear / number of daily returns) − 1.
 */
export type ReturnAnnualisation = 'calendar-days' | 'trading-days';

/** The annualisation rules every published statistic follows; printed under every table. */
export interface AnnualisationConvention {
  readonly returnBasis: ReturnAnnualisation;
  /** Day-count denominator of `calendar-days` (365: ACT/365 Fixed). */
  readonly daysPerYear: number;
  /** Scales daily volatility (× √N) and `trading-days` returns. */
  readonly tradingDaysPerYear: number;
}

/**
 * ACT/365 for returns and √252 for volatility: the usual pairing in Chinese index fact sheets, and
 * the return side does not depend on which exchange calendar a mixed A-share/HK index follows.
 */
export const DEFAULT_ANNUALISATION: AnnualisationConvention = Object.freeze({
  returnBasis: 'calendar-days',
  daysPerYear: 365,
  tradingDaysPerYear: 252,
});

/**
 * A year's closes may start and end on the last trading days before weekends and holidays, so "a
 * year" is 365 calendar days (or the convention's trading days) less two weeks of slack.
 */
const YEAR_SLACK_CALENDAR_DAYS = 14;
const YEAR_SLACK_TRADING_DAYS = 10;

/** The shortest period annualised under `convention`: calendar days (ACT/365) or daily returns (`trading-days`). */
export function minimumYear(convention: AnnualisationConvention): { days: number; unit: string } {
  return convention.returnBasis === 'calendar-days'
    ? { days: convention.daysPerYear - YEAR_SLACK_CALENDAR_DAYS, unit: 'calendar days' }
    : { days: convention.tradingDaysPerYear - YEAR_SLACK_TRADING_DAYS, unit: 'trading days' };
}

/** Returns the one-line statement of the conventions that is printed under tables and in CSV/JSON. */
export function describeConventions(convention: AnnualisationConvention, riskFreeRate: Dec): string {
  const returns =
    convention.returnBasis === 'calendar-days'
      ? `annualised return = (1 + cumulative)^(${convention.daysPerYear} / calendar days) − 1 (ACT/${convention.daysPerYear})`
      : `annualised return = (1 + cumulative)^(${convention.tradingDaysPerYear} / trading days) − 1`;
  return [
    'year return = last close of year / last close of previous year − 1 (first year from the first close)',
    returns,
    `volatility = sample standard deviation of daily log returns × √${convention.tradingDaysPerYear}`,
    `Sharpe = (annualised return − ${riskFreeRate.times(100).toFixed()}%) / volatility`,
    `annualised figures only over ${minimumYear(convention).days}+ ${minimumYear(convention).unit}`,
    'max drawdown = lowest close / highest earlier close − 1',
  ].join('; ');
}
