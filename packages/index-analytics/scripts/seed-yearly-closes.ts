import { Dec, type IndexCloses } from '../src/index.js';

/**
 * Calendar-year returns of the seed fact sheet's yearly-returns table (图表8, as of 2025-03-19, so
 * 2025 is year to date), with the cumulative, annualised and Sharpe rows it prints for each index.
 */
export const SEED_YEARLY_TABLE = [
  {
    indexId: 'AI大模型',
    years: ['0.1208', '-0.3059', '0.4159', '0.4328', '0.3111'],
    cumulative: '1.0694',
    annualised: '0.1776',
    sharpe: '0.518',
  },
  {
    indexId: '互联网与软件',
    years: ['-0.0770', '-0.2402', '-0.1035', '0.2129', '0.2831'],
    cumulative: '-0.0216',
    annualised: '-0.0049',
    sharpe: '-0.017',
  },
  {
    indexId: '沪深港AI大模型',
    years: ['0.1522', '-0.2372', '0.3412', '0.3644', '0.4419'],
    cumulative: '1.3190',
    annualised: '0.2081',
    sharpe: '0.608',
  },
  {
    indexId: 'AI云计算',
    years: ['0.1248', '-0.2412', '0.2360', '0.1608', '0.5534'],
    cumulative: '0.9020',
    annualised: '0.1553',
    sharpe: '0.459',
  },
] as const;

export const SEED_FIRST_YEAR = 2021;
export const SEED_BASE_DATE = '2020-12-31';
export const SEED_END_DATE = '2025-03-19';
const BASE_LEVEL = new Dec(1000);
// A few swings per year so the chart, volatility and drawdown have something to show; sin(π·m·k/n)
// is zero at both ends of the year, so the year-end closes are untouched.
const SWING_AMPLITUDE = new Dec('0.04');
const SWINGS_PER_YEAR = 3;

type SeedRow = (typeof SEED_YEARLY_TABLE)[number];

/**
 * Returns yearly returns, to 8 decimals, that each round to the table's 2-decimal percentage and
 * whose product rounds to the table's cumulative. The table's own rounded returns compound to
 * 106.92% and 90.22%, not the printed 106.94% and 90.20%: the fact sheet compounded unrounded
 * returns. Every year's growth factor is scaled by the same factor to close that gap, which moves
 * each return by at most 0.003 percentage points, inside its ±0.005 rounding interval.
 */
export function fittedYearlyReturns(row: SeedRow): Dec[] {
  const growths = row.years.map((r) => new Dec(1).plus(r));
  const product = growths.reduce((a, b) => a.times(b));
  const scale = Dec.exp(new Dec(1).plus(row.cumulative).div(product).ln().div(growths.length));
  return growths.map((g) => g.times(scale).minus(1).toDecimalPlaces(8));
}

/** Every Monday–Friday date from `from` to `to` inclusive (a stand-in for a trading calendar). */
export function weekdays(from: string, to: string): string[] {
  const dates: string[] = [];
  for (
    let day = new Date(`${from}T00:00:00Z`);
    day <= new Date(`${to}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 1)
  ) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6) dates.push(day.toISOString().slice(0, 10));
  }
  return dates;
}

/**
 * Builds daily closes for the four seed indices, weekdays from 2020-12-31 (base 1000) to
 * 2025-03-19, whose last close of each calendar year divided by the previous year's last close is
 * exactly 1 + the fitted return (see fittedYearlyReturns). Within a year the path is a geometric drift plus a smooth swing;
 * intermediate closes are rounded to 4 decimals, year-end closes keep every digit.
 */
export function buildSeedYearlyCloses(): IndexCloses[] {
  const dates = weekdays(SEED_BASE_DATE, SEED_END_DATE);
  return SEED_YEARLY_TABLE.map((row) => {
    const { indexId } = row;
    const years = fittedYearlyReturns(row);
    const closes = [{ date: dates[0]!, close: BASE_LEVEL }];
    let base = BASE_LEVEL;
    years.forEach((yearReturn, offset) => {
      const year = String(SEED_FIRST_YEAR + offset);
      const inYear = dates.filter((d) => d.startsWith(year));
      const growth = new Dec(1).plus(yearReturn);
      inYear.forEach((date, i) => {
        const k = i + 1;
        const n = inYear.length;
        if (k === n) {
          closes.push({ date, close: base.times(growth) });
          return;
        }
        const drift = Dec.exp(growth.ln().times(k).div(n));
        const swing = new Dec(1).plus(SWING_AMPLITUDE.times(Math.sin((Math.PI * SWINGS_PER_YEAR * k) / n)));
        closes.push({ date, close: base.times(drift).times(swing).toDecimalPlaces(4) });
      });
      base = base.times(growth);
    });
    return { indexId, closes };
  });
}

/** Renders closes as the `date,index,close` CSV that `indexflow stats --closes` reads. */
export function closesCsv(series: readonly IndexCloses[]): string {
  const lines = ['date,index,close'];
  for (const s of series) for (const c of s.closes) lines.push(`${c.date},${s.indexId},${c.close.toFixed()}`);
  return `${lines.join('\n')}\n`;
}
