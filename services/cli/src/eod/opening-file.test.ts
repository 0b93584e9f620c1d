import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Dec,
  type IndexAdjustmentEvent,
  type IndexDefinition,
  IndexEngine,
  type IndexEvent,
  type OfficialClose,
} from '@indexflow/index-engine';
import { closeToRecord, type IndexCloseRecord } from '@indexflow/kafka';
import { describe, expect, it } from 'vitest';
import { OpeningFileError } from './eod-errors.js';
import { buildOpeningFile, nextWeekday } from './opening-file.js';
import { renderOpeningFile } from './opening-file-render.js';
import { readActionsFile } from './read-actions-file.js';

const DEFINITION: IndexDefinition = {
  id: 'T',
  initialLevel: '1000',
  constituents: [
    { symbol: '600000.SH', shares: '1000' },
    { symbol: '600001.SH', shares: '3000' },
    { symbol: '0700.HK', shares: '700' },
  ],
};
const at = (iso: string) => Date.parse(iso);

/**
 * The test's own oracle for a published level: decimal.js division (80 significant digits, far
 * more than a 24-place level needs) rounded half-even to 24 places, independent of the engine's
 * scaled-integer division.
 */
const level24 = (numerator: string, denominator: string) => new Dec(numerator).div(denominator).toFixed(24);

/** Day one, 2025-03-20: two rounds of prices, so the divisor (fixed at the first) is not 1. */
const DAY_ONE: IndexEvent[] = [
  { kind: 'fx-rate', pair: 'HKDCNY', rate: '0.9230', eventTime: at('2025-03-20T09:30:00+08:00') },
  { kind: 'tick', symbol: '0700.HK', price: '500', eventTime: at('2025-03-20T09:30:00+08:00') },
  { kind: 'tick', symbol: '600000.SH', price: '10.01', eventTime: at('2025-03-20T09:30:00+08:00') },
  { kind: 'tick', symbol: '600001.SH', price: '7.3', eventTime: at('2025-03-20T09:30:00+08:00') },
  { kind: 'fx-rate', pair: 'HKDCNY', rate: '0.92317', eventTime: at('2025-03-20T14:00:00+08:00') },
  { kind: 'tick', symbol: '0700.HK', price: '513.5', eventTime: at('2025-03-20T14:00:00+08:00') },
  { kind: 'tick', symbol: '600000.SH', price: '10.37', eventTime: at('2025-03-20T14:00:00+08:00') },
  { kind: 'tick', symbol: '600001.SH', price: '7.11', eventTime: at('2025-03-20T14:00:00+08:00') },
];

/** The engine's own close of day one (the replay path), as the history stores it. */
function dayOneClose(): { engine: IndexEngine; close: IndexCloseRecord } {
  const engine = new IndexEngine([DEFINITION]);
  for (const event of DAY_ONE) engine.apply(event);
  const closes: OfficialClose[] = [];
  const flush = engine.apply({
    kind: 'session',
    phase: 'close',
    tradingDate: '2025-03-20',
    eventTime: at('2025-03-20T23:00:00+08:00'),
  });
  closes.push(...(flush.closes ?? []));
  expect(closes).toHaveLength(1);
  return { engine, close: closeToRecord(closes[0]!) };
}

const ACTIONS_CSV = [
  'exDate,type,symbol,index,ratio,price,amount,shares',
  // On the close date itself: already in the close, must not apply again.
  '2025-03-20,split,600000.SH,,2,,,',
  '2025-03-21,split,600000.SH,,2,,,',
  '2025-03-21,delete,600001.SH,T,,,,',
  '2025-03-21,add,600002.SH,T,,8.88,,2500',
  // Another index's replacement and a split of a symbol T does not hold: not T's business.
  '2025-03-21,add,600009.SH,OTHER,,5,,100',
  '2025-03-21,split,600777.SH,,2,,,',
  // After the opening date: tomorrow's file, not this one.
  '2025-03-24,split,0700.HK,,5,,,',
].join('\n');

function actionsFile(text: string): IndexAdjustmentEvent[] {
  const path = join(mkdtempSync(join(tmpdir(), 'indexflow-opening-')), 'actions.csv');
  writeFileSync(path, `${text}\n`);
  return readActionsFile(path);
}

/** Σ(price × FX × shares) / divisor from the rendered CSV's strings alone, 24 dp half-even. */
function levelFromCsv(csv: string): { level: string; stated: string } {
  const [header, ...rows] = csv.trim().split('\n');
  const col = (name: string) => header!.split(',').indexOf(name);
  let sum = new Dec(0);
  let divisor = '';
  let stated = '';
  for (const row of rows) {
    const f = row.split(',');
    sum = sum.plus(
      new Dec(f[col('reference_price')]!).times(f[col('fx_rate')]!).times(f[col('index_shares')]!),
    );
    divisor = f[col('divisor')]!;
    stated = f[col('index_level')]!;
  }
  return { level: level24(sum.toFixed(), divisor), stated };
}

describe('opening constituent file', () => {
  it('applies a split and a replacement with the engine and keeps the close level exactly', () => {
    const { engine, close } = dayOneClose();
    const adjustments = actionsFile(ACTIONS_CSV);
    const file = buildOpeningFile({ close, openingDate: '2025-03-21', adjustments });

    expect(file.actions.map((a) => `${a.type} ${a.symbol}`)).toEqual([
      'split 600000.SH',
      'delete 600001.SH',
      'add 600002.SH',
    ]);
    const rows = new Map(file.constituents.map((c) => [c.symbol, c]));
    expect([...rows.keys()]).toEqual(['0700.HK', '600000.SH', '600002.SH']);
    // Split 1:2: price ÷ 2, shares × 2, both exact.
    expect(rows.get('600000.SH')!.referencePrice).toBe('5.185');
    expect(rows.get('600000.SH')!.indexShares).toBe('2000');
    expect(rows.get('600002.SH')).toMatchObject({ referencePrice: '8.88', indexShares: '2500', fxRate: '1' });
    expect(rows.get('0700.HK')).toMatchObject({ referencePrice: '513.5', fxRate: '0.92317' });
    // The replacement changes the divisor; the level does not move.
    expect(file.divisor).not.toBe(close.divisor);
    expect(file.openingLevel).toBe(close.level);

    const csv = renderOpeningFile(file, new Map(), 'csv');
    const { level, stated } = levelFromCsv(csv);
    expect(level).toBe(close.level);
    expect(stated).toBe(close.level);
    const weights = file.constituents.reduce((s, c) => s.plus(c.weight), new Dec(0));
    expect(weights.minus(1).abs().lte('1e-23')).toBe(true);

    // Same numbers as the engine that ran through the day and met the same actions at 00:00.
    const march21 = adjustments.find((a) => a.effectiveDate === '2025-03-21')!;
    engine.apply(march21);
    const live = engine.describeIndex('T')!;
    expect(file.divisor).toBe(live.divisor!.toFixed());
    for (const c of live.constituents) {
      expect(rows.get(c.symbol)).toMatchObject({
        referencePrice: c.price!.toFixed(),
        indexShares: c.indexShares.toFixed(),
        fxRate: c.fxRate!.toFixed(),
      });
    }
  });

  it("carries the engine's 20-dp residual of a repeating reference price, as the live level will", () => {
    const { close } = dayOneClose();
    const adjustments = actionsFile(
      'exDate,type,symbol,index,ratio,price,amount,shares\n2025-03-21,split,600000.SH,,3,,,',
    );
    const file = buildOpeningFile({ close, openingDate: '2025-03-21', adjustments });
    const row = file.constituents.find((c) => c.symbol === '600000.SH')!;
    // 10.37 / 3 kept to 20 dp; in exact mode the engine leaves D alone (it corrects only in
    // exchange-rounding mode), so the level moves by 3000 × (3.45666666666666666667 − 10.37/3) / D.
    expect(row.referencePrice).toBe('3.45666666666666666667');
    expect(file.divisor).toBe(close.divisor);
    const residual = new Dec('3.45666666666666666667').times(3000).minus('10370');
    const expected = level24(new Dec(close.marketValue).plus(residual).toFixed(), close.divisor);
    expect(file.openingLevel).toBe(expected);
    expect(file.openingLevel).not.toBe(close.level);
  });

  it('lowers the level by a cash dividend and leaves the divisor', () => {
    const { close } = dayOneClose();
    const adjustments = actionsFile(
      'exDate,type,symbol,index,ratio,price,amount,shares\n2025-03-21,cash_dividend,600001.SH,,,,0.11,',
    );
    const file = buildOpeningFile({ close, openingDate: '2025-03-21', adjustments });
    expect(file.divisor).toBe(close.divisor);
    const drop = level24(new Dec('0.11').times(3000).toFixed(), close.divisor);
    expect(new Dec(close.level).minus(file.openingLevel).minus(drop).abs().lte('1e-24')).toBe(true);
  });

  it('refuses a close that does not reproduce its level, and an action the engine refuses', () => {
    const { close } = dayOneClose();
    const tampered = { ...close, level: new Dec(close.level).plus('1e-24').toFixed(24) };
    expect(() => buildOpeningFile({ close: tampered, openingDate: '2025-03-21', adjustments: [] })).toThrow(
      /does not reproduce its level/,
    );
    // An added symbol with no reference price and no trade: the engine's missing_price.
    const adjustments = actionsFile(
      'exDate,type,symbol,index,ratio,price,amount,shares\n2025-03-21,add,600003.SH,T,,,,10',
    );
    expect(() => buildOpeningFile({ close, openingDate: '2025-03-21', adjustments })).toThrow(
      OpeningFileError,
    );
    expect(() => buildOpeningFile({ close, openingDate: '2025-03-21', adjustments })).toThrow(
      /missing_price/,
    );
  });

  it('defaults the opening date to the next weekday', () => {
    expect(nextWeekday('2025-03-20')).toBe('2025-03-21');
    expect(nextWeekday('2025-03-21')).toBe('2025-03-24');
  });
});
