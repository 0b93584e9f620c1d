import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type DatasetIssue, formatLevelRow, replayDataset } from '../src/index.js';
import { TV_INDEX, writeDataset } from './dataset-builder.js';

async function replay(dir: string) {
  const rows: string[] = [];
  const issues: DatasetIssue[] = [];
  const summary = await replayDataset(dir, {
    onLevel: (l) => rows.push(formatLevelRow(l)),
    onIssue: (i) => issues.push(i),
  });
  return { rows, issues, summary };
}

const TV_TICKS = [
  'ts,symbol,price',
  '2025-01-06T09:30:00+08:00,AAA.SH,100.00',
  '2025-01-06T09:30:00+08:00,BBB.SZ,25.00',
  '2025-01-06T09:30:00+08:00,CCC.SZ,8.00',
  '2025-01-06T09:30:00+08:00,DDD.HK,250.00',
  '2025-01-06T09:31:00+08:00,AAA.SH,101.50',
  '2025-01-06T09:32:00+08:00,BBB.SZ,24.80',
  '2025-01-06T09:33:00+08:00,DDD.HK,252.00',
  '2025-01-06T09:34:00+08:00,AAA.SH,101.20',
  '2025-01-06T09:35:00+08:00,CCC.SZ,8.16',
];
const TV_FX = ['ts,pair,rate', '2025-01-06T09:00:00+08:00,HKDCNY,0.9200'];

describe('offline replay of the public dataset format', () => {
  it('reproduces TV1 → TV2 and writes ISO UTC timestamps with fixed decimals', async () => {
    const { rows, issues } = await replay(writeDataset({ indices: [TV_INDEX], ticks: TV_TICKS, fx: TV_FX }));
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      '2025-01-06T01:30:00.000Z,TV,1000.0000000000,1,tick,DDD.HK',
      '2025-01-06T01:31:00.000Z,TV,1006.0000000000,2,tick,AAA.SH',
      '2025-01-06T01:32:00.000Z,TV,1003.6000000000,3,tick,BBB.SZ',
      '2025-01-06T01:33:00.000Z,TV,1005.4400000000,4,tick,DDD.HK',
      '2025-01-06T01:34:00.000Z,TV,1004.2400000000,5,tick,AAA.SH',
      '2025-01-06T01:35:00.000Z,TV,1005.6400000000,6,tick,CCC.SZ',
    ]);
  });

  it('applies actions at 00:00 Asia/Shanghai of the ex-date (TV5 replacement) and prices an added symbol', async () => {
    const dir = writeDataset({
      indices: [TV_INDEX],
      ticks: [...TV_TICKS, '2025-01-07T09:30:00+08:00,EEE.SZ,13.00'],
      fx: TV_FX,
      actions: [
        'exDate,type,symbol,index,ratio,price,amount,shares',
        '2025-01-07,delete,CCC.SZ,TV,,,,',
        '2025-01-07,add,EEE.SZ,TV,,12.50,,600000',
      ],
    });
    const { rows, issues } = await replay(dir);
    expect(issues).toEqual([]);
    expect(rows.slice(-3)).toEqual([
      '2025-01-06T16:00:00.000Z,TV,1005.6400000000,7,index-adjustment,',
      '2025-01-06T16:00:00.000Z,TV,1005.6400000000,8,index-adjustment,',
      '2025-01-07T01:30:00.000Z,TV,1008.6292988784,9,tick,EEE.SZ',
    ]);
  });

  it('uses the last price of a symbol in no index for a later add, and emits nothing for it before', async () => {
    const dir = writeDataset({
      indices: [TV_INDEX],
      ticks: [
        ...TV_TICKS,
        '2025-01-06T15:00:00+08:00,EEE.SZ,12.50',
        '2025-01-07T09:30:00+08:00,EEE.SZ,13.00',
      ],
      fx: TV_FX,
      actions: [
        'exDate,type,symbol,index,ratio,price,amount,shares',
        '2025-01-07,delete,CCC.SZ,,,,,',
        '2025-01-07,add,EEE.SZ,TV,,,,600000',
      ],
    });
    const { rows } = await replay(dir);
    expect(rows.filter((r) => r.includes(',tick,EEE.SZ')).length).toBe(1);
    expect(rows.at(-1)).toBe('2025-01-07T01:30:00.000Z,TV,1008.6292988784,9,tick,EEE.SZ');
  });

  it('reports malformed, non-positive and out-of-order rows with file and line, and they never change a level', async () => {
    const bad = [
      ...TV_TICKS.slice(0, 6),
      '2025-01-06T09:31:30+08:00,BBB.SZ,-1.00',
      '2025-01-06T09:31:31+08:00,BBB.SZ,abc',
      'not-a-time,BBB.SZ,25.00',
      '2025-01-06T09:31:32+08:00,BBB.SZ',
      '2025-01-06T09:00:00+08:00,BBB.SZ,30.00',
      '2025-01-06T09:31:33+08:00,BBB.SZ,0',
      ...TV_TICKS.slice(6),
    ];
    const clean = await replay(writeDataset({ indices: [TV_INDEX], ticks: TV_TICKS, fx: TV_FX }));
    const dirty = await replay(
      writeDataset({
        indices: [TV_INDEX],
        ticks: bad,
        fx: [...TV_FX, '2025-01-06T09:10:00+08:00,HKDCNY,-0.5'],
      }),
    );
    expect(dirty.rows).toEqual(clean.rows);
    // Reader and engine report as they meet a row; the report order within a file is not a contract.
    const byLine = (a: DatasetIssue, b: DatasetIssue) =>
      a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1;
    expect([...dirty.issues].sort(byLine).map((i) => `${i.file}:${i.line}:${i.reason}`)).toEqual([
      'fx.csv:3:non_positive_fx_rate',
      'ticks.csv:7:non_positive_price',
      'ticks.csv:8:malformed_price',
      'ticks.csv:9:malformed_row',
      'ticks.csv:10:malformed_row',
      'ticks.csv:11:out_of_order',
      'ticks.csv:12:non_positive_price',
    ]);
    expect(dirty.summary.rejected).toBe(7);
    expect(dirty.summary.rejectedByReason).toMatchObject({
      malformed_row: 2,
      out_of_order: 1,
      non_positive_price: 2,
    });
  });

  it('refuses an HK tick that arrives before any HKDCNY rate', async () => {
    const { issues } = await replay(writeDataset({ indices: [TV_INDEX], ticks: TV_TICKS }));
    expect(issues.map((i) => i.reason)).toEqual(['missing_fx', 'missing_fx']);
  });

  it('accepts epoch milliseconds, extra columns and quoted fields', async () => {
    const ticks = [
      'ts,symbol,name,price',
      ...TV_TICKS.slice(1).map((row) => {
        const [ts, symbol, price] = row.split(',');
        return `${Date.parse(ts!)},${symbol},"Name, Inc.",${price}`;
      }),
    ];
    const a = await replay(writeDataset({ indices: [TV_INDEX], ticks, fx: TV_FX }));
    const b = await replay(writeDataset({ indices: [TV_INDEX], ticks: TV_TICKS, fx: TV_FX }));
    expect(a.issues).toEqual([]);
    expect(a.rows).toEqual(b.rows);
  });

  it('with a given divisor emits nothing until every constituent is priced', async () => {
    const { rows } = await replay(
      writeDataset({
        indices: [{ ...TV_INDEX, initialLevel: undefined, divisor: '100000' }],
        ticks: TV_TICKS,
        fx: TV_FX,
      }),
    );
    expect(rows[0]).toBe('2025-01-06T01:30:00.000Z,TV,1000.0000000000,1,tick,DDD.HK');
  });

  it('is byte-for-byte deterministic on the bundled sample and matches its golden file', async () => {
    const sample = new URL('../../seed-indices/sample', import.meta.url).pathname;
    const first = await replay(sample);
    const second = await replay(sample);
    expect(first.issues).toEqual([]);
    expect(first.rows.join('\n')).toBe(second.rows.join('\n'));
    const golden = readFileSync(new URL('./golden/sample-levels.csv', import.meta.url), 'utf8')
      .trimEnd()
      .split('\n');
    expect(['ts,index,level,sequence,trigger,symbol', ...first.rows]).toEqual(golden);
  });
});

describe('canonical order of simultaneous rows', () => {
  it('gives the same levels whatever the order of rows with the same timestamp', async () => {
    const tie = ['2025-01-06T09:36:00+08:00,BBB.SZ,25.10', '2025-01-06T09:36:00+08:00,AAA.SH,101.90'];
    const a = await replay(writeDataset({ indices: [TV_INDEX], ticks: [...TV_TICKS, ...tie], fx: TV_FX }));
    const b = await replay(
      writeDataset({ indices: [TV_INDEX], ticks: [...TV_TICKS, tie[1]!, tie[0]!], fx: TV_FX }),
    );
    expect(b.issues).toEqual([]);
    expect(b.rows).toEqual(a.rows);
    // AAA sorts first: its level row comes before BBB's, whatever the file order.
    expect(a.rows.slice(-2).map((r) => r.split(',').at(-1))).toEqual(['AAA.SH', 'BBB.SZ']);
  });
});

describe('sequence column', () => {
  it('refuses a duplicate sequence and reports a malformed one instead of ignoring it', async () => {
    const ticks = [
      'ts,symbol,price,sequence',
      ...TV_TICKS.slice(1).map((row, i) => `${row},${i + 1}`),
      '2025-01-06T09:36:00+08:00,CCC.SZ,8.50,9',
      '2025-01-06T09:37:00+08:00,CCC.SZ,8.60,1.5',
    ];
    const { issues } = await replay(writeDataset({ indices: [TV_INDEX], ticks, fx: TV_FX }));
    expect(issues.map((i) => `${i.line}:${i.reason}`).sort()).toEqual([
      '11:duplicate_sequence',
      '12:malformed_row',
    ]);
  });
});
