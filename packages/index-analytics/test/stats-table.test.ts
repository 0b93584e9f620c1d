import { describe, expect, it } from 'vitest';
import {
  Dec,
  type IndexCloses,
  performanceStats,
  renderStatsCsv,
  renderStatsJson,
  renderStatsTable,
} from '../src/index.js';

const series: IndexCloses[] = [
  {
    indexId: 'A',
    closes: [
      ['2022-12-30', '100'],
      ['2023-06-30', '90'],
      ['2023-12-29', '110'],
      ['2024-03-19', '121'],
    ].map(([date, close]) => ({ date: date!, close: new Dec(close!) })),
  },
];
const stats = series.map((s) => performanceStats(s, { riskFreeRate: new Dec('0.015') }));

describe('stats renderers', () => {
  it('prints years, the summary rows and the conventions under the table', () => {
    const table = renderStatsTable(stats);
    const labels = table.split('\n').map((line) => line.split(/\s{2,}/)[0]);
    expect(labels.slice(0, 12)).toEqual([
      '年份 Year',
      expect.stringMatching(/^-+$/),
      '2023',
      '2024*',
      '累计 Cumulative',
      '年化 Annualised',
      '波动率 Volatility',
      '夏普比率 Sharpe (rf 1.5%)',
      '最大回撤 Max drawdown',
      '回撤起点 Drawdown peak',
      '回撤低点 Drawdown trough',
      '',
    ]);
    expect(table).toContain('10.00%');
    expect(table).toContain('21.00%');
    expect(table).toContain('-10.00%');
    expect(table).toContain('* 2024: 2023-12-29 to 2024-03-19 (part of the year)');
    expect(table).toContain('(ACT/365)');
    expect(table).toContain('√252');
    expect(table).toContain('− 1.5%');
  });

  it('writes one CSV row per year plus a total row, after a conventions comment', () => {
    const lines = renderStatsCsv(stats).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# .*ACT\/365.*√252/);
    expect(lines[1]!.split(',')).toContain('sharpe_ratio');
    expect(lines.slice(2).map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      'A,2023',
      'A,2024',
      'A,total',
    ]);
    expect(lines[4]!.split(',')[6]).toBe('0.21');
  });

  it('states the risk-free rate on every CSV row and why a short period has no annualised cells', () => {
    const short = performanceStats(
      {
        indexId: 'D',
        closes: [
          { date: '2025-03-19', close: new Dec('1000') },
          { date: '2025-03-20', close: new Dec('1005.5') },
        ],
      },
      { riskFreeRate: new Dec('0.015') },
    );
    const [, header, year, total] = renderStatsCsv([short]).trimEnd().split('\n');
    const columns = header!.split(',');
    const cell = (row: string, name: string) => row.split(',')[columns.indexOf(name)];
    for (const row of [year!, total!]) {
      expect(cell(row, 'return')).toBe('0.0055');
      expect(cell(row, 'annualised_return')).toBe('');
      expect(cell(row, 'annualised_volatility')).toBe('');
      expect(cell(row, 'sharpe_ratio')).toBe('');
      expect(cell(row, 'risk_free_rate')).toBe('0.015');
      expect(cell(row, 'not_annualised')).toBe(
        'annualised only over a year of closes (351+ calendar days); this period has 1 calendar day',
      );
    }
    const [, , fullYear] = renderStatsCsv(stats).trimEnd().split('\n');
    expect(cell(fullYear!, 'not_annualised')).toBe('');
    expect(cell(fullYear!, 'annualised_return')).not.toBe('');
  });

  it('prints — with the reason under the table for a period too short to annualise', () => {
    const day = performanceStats({
      indexId: 'D',
      closes: [
        { date: '2025-03-19', close: new Dec('1000') },
        { date: '2025-03-20', close: new Dec('1005.5') },
      ],
    });
    const table = renderStatsTable([day, ...stats]);
    expect(table).toMatch(/年化 Annualised\s+—\s+16\.92%/);
    expect(table).toMatch(/波动率 Volatility\s+—\s+\d+\.\d\d%/);
    expect(table).toMatch(/夏普比率 Sharpe \(rf 0%\)\s+—\s+-?\d\.\d{3}/);
    expect(table).toContain(
      '— D: annualised only over a year of closes (351+ calendar days); this period has 1 calendar day',
    );
    expect(table).not.toContain('— A:');
  });

  it('quotes an index id that could split a row or run as a formula', () => {
    const hostile = performanceStats({ ...series[0]!, indexId: '=A,"B"' });
    const row = renderStatsCsv([hostile]).trimEnd().split('\n')[2]!;
    expect(row.startsWith(`"'=A,""B""",2023,`)).toBe(true);
  });

  it('writes JSON with decimal strings and the conventions', () => {
    const document = JSON.parse(renderStatsJson(stats));
    expect(document.conventions).toMatchObject({
      returnBasis: 'calendar-days',
      daysPerYear: 365,
      tradingDaysPerYear: 252,
      riskFreeRate: '0.015',
    });
    expect(document.indices[0].total.return).toBe('0.21');
    expect(document.indices[0].total.maxDrawdown).toMatchObject({
      depth: '-0.1',
      peakDate: '2022-12-30',
      troughDate: '2023-06-30',
    });
  });
});
