import { describe, expect, it } from 'vitest';
import { DEFAULT_ANNUALISATION } from '../src/annualisation-convention.js';
import {
  annualisedVolatility,
  annualiseReturn,
  type DailyClose,
  Dec,
  dailyLogReturns,
  maxDrawdown,
  performanceStats,
  periodStats,
  sharpeRatio,
  shortOfAYear,
} from '../src/index.js';

function closes(...rows: [string, string][]): DailyClose[] {
  return rows.map(([date, close]) => ({ date, close: new Dec(close) }));
}

describe('maxDrawdown', () => {
  it('finds the deepest fall from a running peak, not from the first close', () => {
    const series = closes(
      ['2024-01-02', '100'],
      ['2024-01-03', '120'],
      ['2024-01-04', '90'], // −25% from 120
      ['2024-01-05', '130'],
      ['2024-01-08', '91'], // −30% from 130: the deepest
      ['2024-01-09', '95'],
      ['2024-01-10', '140'],
    );
    const drawdown = maxDrawdown(series);
    expect(drawdown.depth.toFixed()).toBe('-0.3');
    expect(drawdown.peakDate).toBe('2024-01-05');
    expect(drawdown.peakClose.toFixed()).toBe('130');
    expect(drawdown.troughDate).toBe('2024-01-08');
    expect(drawdown.troughClose.toFixed()).toBe('91');
  });

  it('is zero at the first close for a series that never falls', () => {
    const drawdown = maxDrawdown(closes(['2024-01-02', '100'], ['2024-01-03', '100'], ['2024-01-04', '101']));
    expect(drawdown.depth.isZero()).toBe(true);
    expect(drawdown.troughDate).toBe('2024-01-02');
  });
});

describe('volatility and Sharpe', () => {
  // Alternating ±x log returns: mean 0, every deviation x, so the sample variance is x²·n/(n−1).
  const up = new Dec('1.01');
  const series: DailyClose[] = [{ date: '2024-01-01', close: new Dec(100) }];
  for (let i = 1; i <= 4; i++) {
    const previous = series[i - 1]!.close;
    series.push({ date: `2024-01-0${i + 1}`, close: i % 2 === 1 ? previous.times(up) : previous.div(up) });
  }

  it('annualises the sample standard deviation of daily log returns with √252', () => {
    const x = up.ln();
    const expected = x.pow(2).times(4).div(3).times(252).sqrt();
    const volatility = annualisedVolatility(dailyLogReturns(series), 252);
    expect(volatility!.minus(expected).abs().lt('1e-35')).toBe(true);
  });

  it('subtracts the risk-free rate before dividing by volatility', () => {
    expect(sharpeRatio(new Dec('0.10'), new Dec('0.20'), new Dec('0.02'))!.toFixed()).toBe('0.4');
    expect(sharpeRatio(new Dec('0.10'), new Dec('0.20'), new Dec(0))!.toFixed()).toBe('0.5');
    expect(sharpeRatio(new Dec('0.10'), new Dec(0), new Dec(0))).toBeNull();
    expect(sharpeRatio(new Dec('0.10'), null, new Dec(0))).toBeNull();
  });

  it('uses the configured risk-free rate in periodStats', () => {
    const year = closes(['2024-01-02', '100'], ['2024-07-01', '101'], ['2024-12-31', '100.5']);
    const withRf = periodStats(year, new Dec('0.015'));
    const withoutRf = periodStats(year, new Dec(0));
    const difference = withoutRf.sharpeRatio!.minus(withRf.sharpeRatio!);
    expect(difference.minus(new Dec('0.015').div(withRf.annualisedVolatility!)).abs().lt('1e-35')).toBe(true);
  });

  it('matches a hand computation over exactly a year with a 3% risk-free rate', () => {
    // 100 → 120 → 108 over 365 days: annualised return = cumulative = 8%. The two log returns are
    // ln 1.2 and ln 0.9, so the sample standard deviation is ln(1.2 / 0.9) / √2 and the volatility
    // ln(4/3) × √(252 / 2) = 3.2292232542949…; Sharpe = (0.08 − 0.03) / 3.2292232542949… .
    const year = closes(['2024-01-01', '100'], ['2024-07-01', '120'], ['2024-12-31', '108']);
    const stats = periodStats(year, new Dec('0.03'));
    expect(stats.calendarDays).toBe(365);
    expect(stats.annualisedReturn!.toDecimalPlaces(30).toFixed()).toBe('0.08');
    expect(stats.annualisedVolatility!.toDecimalPlaces(12).toFixed()).toBe('3.229223254295');
    expect(stats.sharpeRatio!.toDecimalPlaces(12).toFixed()).toBe('0.015483599635');
    const closedForm = new Dec('0.05').div(new Dec(4).div(3).ln().times(new Dec(126).sqrt()));
    expect(stats.sharpeRatio!.minus(closedForm).abs().lt('1e-35')).toBe(true);
  });

  it('has no volatility with a single daily return', () => {
    expect(
      annualisedVolatility(dailyLogReturns(closes(['2024-01-02', '1'], ['2024-01-03', '2'])), 252),
    ).toBeNull();
  });
});

describe('annualiseReturn and yearly rows', () => {
  it('compounds: 21% over two years is 10% a year', () => {
    expect(annualiseReturn(new Dec('0.21'), 730, 365).toDecimalPlaces(30).toFixed()).toBe('0.1');
  });

  it('measures a series that starts mid-year from its first close and flags the year as partial', () => {
    const stats = performanceStats({
      indexId: 'X',
      closes: closes(
        ['2023-06-30', '100'],
        ['2023-12-29', '110'],
        ['2024-06-28', '99'],
        ['2024-12-31', '121'],
      ),
    });
    expect(stats.years.map((y) => [y.year, y.return.toFixed(), y.fullYear])).toEqual([
      [2023, '0.1', false],
      [2024, '0.1', true],
    ]);
    expect(stats.total.return.toFixed()).toBe('0.21');
    expect(stats.years[1]!.baseDate).toBe('2023-12-29');
  });
});

describe('annualised figures need a year of closes', () => {
  it('gives none for a single day (a 0.55% day is not a 647% year), with the reason', () => {
    const day = periodStats(closes(['2025-03-19', '1000'], ['2025-03-20', '1005.5']), new Dec(0));
    expect(day.return.toFixed()).toBe('0.0055');
    expect([day.annualisedReturn, day.annualisedVolatility, day.sharpeRatio]).toEqual([null, null, null]);
    expect(day.notAnnualised).toBe(
      'annualised only over a year of closes (351+ calendar days); this period has 1 calendar day',
    );
  });

  it('gives them from a year less two weeks of slack, under either basis', () => {
    const almost = closes(['2024-01-02', '100'], ['2024-06-03', '103'], ['2024-12-17', '104']);
    expect(periodStats(almost, new Dec(0)).annualisedReturn).toBeNull();
    const year = closes(['2024-01-02', '100'], ['2024-06-03', '103'], ['2024-12-18', '104']);
    const stats = periodStats(year, new Dec(0));
    expect(stats.notAnnualised).toBeNull();
    expect(stats.annualisedReturn).not.toBeNull();
    expect(shortOfAYear(0, 242, { ...DEFAULT_ANNUALISATION, returnBasis: 'trading-days' })).toBeNull();
    expect(shortOfAYear(400, 241, { ...DEFAULT_ANNUALISATION, returnBasis: 'trading-days' })).toMatch(
      /242\+ trading days\); this period has 241 trading days/,
    );
  });
});
