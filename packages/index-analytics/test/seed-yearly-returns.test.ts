import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildSeedYearlyCloses,
  closesCsv,
  fittedYearlyReturns,
  SEED_YEARLY_TABLE,
} from '../scripts/seed-yearly-closes.js';
import {
  type AnnualisationConvention,
  DEFAULT_ANNUALISATION,
  Dec,
  type PerformanceStats,
  parseClosesCsv,
  performanceStats,
} from '../src/index.js';

const FIXTURE = fileURLToPath(new URL('fixtures/seed-yearly-closes.csv', import.meta.url));
const series = parseClosesCsv(readFileSync(FIXTURE, 'utf8'), { file: FIXTURE, defaultIndexId: 'unused' });
const stats = new Map(series.map((s) => [s.indexId, performanceStats(s)]));
// The table prints percentages to 2 decimals: a printed value v stands for anything in [v − 0.005, v + 0.005] pp.
const HALF_UNIT_PP = new Dec('0.00005');

function statsOf(indexId: string): PerformanceStats {
  const found = stats.get(indexId);
  if (!found) throw new Error(`fixture had no index ${indexId}`);
  return found;
}

describe('the seed fact sheet yearly-returns table (图表8)', () => {
  it('is what the fixture script writes', () => {
    expect(readFileSync(FIXTURE, 'utf8')).toBe(closesCsv(buildSeedYearlyCloses()));
  });

  it('fits yearly returns that round to the printed ones', () => {
    for (const row of SEED_YEARLY_TABLE) {
      const fitted = fittedYearlyReturns(row);
      fitted.forEach((r, i) => {
        expect(r.minus(row.years[i]!).abs().lte(HALF_UNIT_PP), `${row.indexId} year ${i}: ${r}`).toBe(true);
      });
    }
  });

  it('the printed cumulative row lies within what the rounded yearly returns allow', () => {
    // Interval arithmetic: compounding the ends of every yearly rounding interval bounds the true cumulative.
    for (const row of SEED_YEARLY_TABLE) {
      const low = row.years
        .reduce((p, r) => p.times(new Dec(1).plus(r).minus(HALF_UNIT_PP)), new Dec(1))
        .minus(1);
      const high = row.years
        .reduce((p, r) => p.times(new Dec(1).plus(r).plus(HALF_UNIT_PP)), new Dec(1))
        .minus(1);
      expect(
        new Dec(row.cumulative).gte(low.minus(HALF_UNIT_PP)) &&
          new Dec(row.cumulative).lte(high.plus(HALF_UNIT_PP)),
        row.indexId,
      ).toBe(true);
    }
  });

  it.each(SEED_YEARLY_TABLE.map((row) => [row.indexId, row] as const))(
    '%s: yearly returns round to the table',
    (indexId, row) => {
      const years = statsOf(indexId).years;
      expect(years.map((y) => y.year)).toEqual([2021, 2022, 2023, 2024, 2025]);
      years.forEach((y, i) => {
        expect(y.return.times(100).toFixed(2)).toBe(new Dec(row.years[i]!).times(100).toFixed(2));
      });
      expect(years.map((y) => y.fullYear)).toEqual([true, true, true, true, false]);
    },
  );

  it.each([
    ['AI大模型', '106.94'],
    ['互联网与软件', '-2.16'],
    ['沪深港AI大模型', '131.90'],
    ['AI云计算', '90.20'],
  ])('%s: cumulative return is %s%% within ±0.01 pp', (indexId, printed) => {
    const total = statsOf(indexId).total;
    expect(total.return.times(100).minus(printed).abs().lte('0.01'), `cumulative was ${total.return}`).toBe(
      true,
    );
    expect(total.return.times(100).toFixed(2)).toBe(printed);
    expect(statsOf(indexId).years.at(-1)!.cumulativeReturn.eq(total.return)).toBe(true);
  });

  it('annualised returns under either convention, compared with the printed 年化 row', () => {
    const tradingDays: AnnualisationConvention = { ...DEFAULT_ANNUALISATION, returnBasis: 'trading-days' };
    const seen = SEED_YEARLY_TABLE.map((row) => {
      const s = series.find((x) => x.indexId === row.indexId)!;
      return {
        indexId: row.indexId,
        printed: new Dec(row.annualised).times(100).toFixed(2),
        act365: statsOf(row.indexId).total.annualisedReturn!.times(100).toFixed(2),
        tradingDays252: performanceStats(s, { convention: tradingDays })
          .total.annualisedReturn!.times(100)
          .toFixed(2),
      };
    });
    // Neither convention reproduces 17.76 / −0.49 / 20.81 / 15.53 for a history from 2020-12-31 to
    // 2025-03-19 (1539 calendar days, 1099 weekday returns). The printed rows imply a horizon of
    // about 4.45 years, and not the same one for every index (AI大模型 4.4475–4.4498 years, AI云计算
    // 4.4522–4.4548), so the fact sheet annualised over a longer, index-specific history. Pinned so
    // a change of convention is a visible decision.
    expect(seen).toEqual([
      { indexId: 'AI大模型', printed: '17.76', act365: '18.83', tradingDays252: '18.15' },
      { indexId: '互联网与软件', printed: '-0.49', act365: '-0.52', tradingDays252: '-0.50' },
      { indexId: '沪深港AI大模型', printed: '20.81', act365: '22.08', tradingDays252: '21.27' },
      { indexId: 'AI云计算', printed: '15.53', act365: '16.47', tradingDays252: '15.88' },
    ]);
  });

  it('the annualised return is the cumulative compounded over 365 / 1539 of the period', () => {
    const total = statsOf('AI大模型').total;
    expect(total.calendarDays).toBe(1539);
    expect(total.tradingDays).toBe(1099);
    const expected = new Dec(1).plus(total.return).pow(new Dec(365).div(1539)).minus(1);
    expect(total.annualisedReturn!.minus(expected).abs().lt('1e-30')).toBe(true);
  });
});
