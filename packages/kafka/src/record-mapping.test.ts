import { Dec, type IndexLevel } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import { RecordShapeError } from './kafka-errors.js';
import {
  adjustmentRecordToEvent,
  fxRecordToEvent,
  type IndexLevelFields,
  levelToRecord,
  tickRecordToEvent,
} from './record-mapping.js';
import {
  ALL_INDICES,
  type CorporateActionRecord,
  type IndexAdjustmentRecord,
  type MarketTickRecord,
} from './record-types.js';

const tick: MarketTickRecord = {
  symbol: '600519.SH',
  market: 'SH',
  currency: 'CNY',
  eventTime: 1_764_207_000_000,
  sequence: 42,
  lastPrice: '1688.00',
  volume: '100',
  turnover: '168800',
  bidPrice: null,
  askPrice: null,
  tradingPhase: 'CONTINUOUS',
};

describe('tickRecordToEvent', () => {
  it('maps the last price, event time and sequence, and keeps the position', () => {
    expect(tickRecordToEvent(tick, { source: 't:0', offset: 7 })).toEqual({
      kind: 'tick',
      eventTime: 1_764_207_000_000,
      symbol: '600519.SH',
      price: '1688.00',
      sequence: 42,
      position: { source: 't:0', offset: 7 },
    });
    expect(tickRecordToEvent(tick)).not.toHaveProperty('position');
  });

  it('refuses a record of another shape, naming the field and its value', () => {
    const fxShaped = { pair: 'HKDCNY', rate: '0.92', eventTime: 1, source: 'x', sequence: 1 };
    const error = (() => {
      try {
        tickRecordToEvent(fxShaped as unknown as MarketTickRecord);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RecordShapeError);
    expect(error).toMatchObject({
      schema: 'market-tick',
      field: 'symbol',
      value: undefined,
      retriable: false,
    });
  });
});

describe('fxRecordToEvent', () => {
  it('derives a replay-stable observation id from the record', () => {
    expect(
      fxRecordToEvent({ pair: 'HKDCNY', rate: '0.92187', eventTime: 5, source: 'cfets', sequence: 3 }),
    ).toEqual({
      kind: 'fx-rate',
      eventTime: 5,
      pair: 'HKDCNY',
      rate: '0.92187',
      observationId: 'cfets:HKDCNY:3',
      source: 'cfets',
    });
  });
});

const action = (overrides: Partial<CorporateActionRecord>): CorporateActionRecord => ({
  actionId: 'x',
  type: 'split',
  symbol: '0700.HK',
  indexId: null,
  exDate: '2026-11-27',
  ratio: null,
  price: null,
  amount: null,
  shares: null,
  currency: null,
  announcedAt: 1,
  ...overrides,
});

const adjustment = (indexId: string, actions: CorporateActionRecord[]): IndexAdjustmentRecord => ({
  adjustmentId: 'a1',
  indexId,
  effectiveDate: '2026-11-27',
  eventTime: 9,
  actions,
  proforma: [],
});

describe('adjustmentRecordToEvent', () => {
  it('keeps the actions of a single-index adjustment in order, scoped to its index, without null fields', () => {
    const record = adjustment('995365', [
      action({ actionId: 'x1', type: 'shares_change', symbol: '0700.HK', shares: '2000' }),
      action({
        actionId: 'x2',
        type: 'add',
        symbol: '600000.SH',
        indexId: '995365',
        price: '10.5',
        shares: '1000',
        currency: 'CNY',
      }),
    ]);
    expect(adjustmentRecordToEvent(record, { source: 'adj:0', offset: 0 })).toEqual({
      kind: 'index-adjustment',
      adjustmentId: 'a1',
      eventTime: 9,
      effectiveDate: '2026-11-27',
      actions: [
        { type: 'shares_change', symbol: '0700.HK', indexId: '995365', shares: '2000' },
        {
          type: 'add',
          symbol: '600000.SH',
          indexId: '995365',
          price: '10.5',
          shares: '1000',
          currency: 'CNY',
        },
      ],
      position: { source: 'adj:0', offset: 0 },
    });
  });

  it("keeps each action's own scope in a date-wide (*) adjustment, so a split applies once to every holder", () => {
    const record = adjustment(ALL_INDICES, [
      action({ type: 'split', ratio: '2' }),
      action({ type: 'delete', symbol: '600000.SH', indexId: '995365' }),
    ]);
    expect(adjustmentRecordToEvent(record).actions).toEqual([
      { type: 'split', symbol: '0700.HK', ratio: '2' },
      { type: 'delete', symbol: '600000.SH', indexId: '995365' },
    ]);
  });

  it('refuses a price action in a single-index adjustment, which would apply it once per index', () => {
    const record = adjustment('995365', [action({ type: 'split', ratio: '2' })]);
    expect(() => adjustmentRecordToEvent(record)).toThrow(RecordShapeError);
  });
});

function level(overrides: Partial<IndexLevelFields> = {}): IndexLevelFields {
  return {
    indexId: '995365',
    eventTime: 1_764_207_000_000,
    sequence: 3,
    level: new Dec('1008.6292988784'),
    divisor: new Dec('123456.789'),
    marketValue: new Dec('124523456.7'),
    trigger: 'tick',
    symbol: '600519.SH',
    prevClose: new Dec('1000'),
    open: new Dec('1001'),
    high: new Dec('1010'),
    low: new Dec('999.5'),
    fxObservationId: null,
    fxStale: false,
    totalReturnLevel: null,
    netTotalReturnLevel: null,
    contributions: null,
    ...overrides,
  };
}

describe('levelToRecord', () => {
  it('writes decimals as plain strings with change and change percent against prevClose', () => {
    const record = levelToRecord(level());
    expect(record).toMatchObject({
      indexId: '995365',
      currency: 'CNY',
      trigger: 'TICK',
      triggerSymbol: '600519.SH',
      level: '1008.6292988784',
      prevClose: '1000',
      change: '8.6292988784',
      changePercent: '0.86292988784',
      open: '1001',
      high: '1010',
      low: '999.5',
      divisor: '123456.789',
      stale: false,
      fxObservation: null,
      constituents: null,
    });
  });

  it('never writes exponents, even for values toString would', () => {
    const tiny = new Dec('1e-35');
    const huge = new Dec('1e45');
    const record = levelToRecord(
      level({ level: tiny.plus(1), divisor: tiny, marketValue: huge, prevClose: null }),
    );
    expect(record.divisor).toBe(`0.${'0'.repeat(34)}1`);
    expect(record.marketValue).toBe(`1${'0'.repeat(45)}`);
    expect(tiny.toString()).toContain('e');
    expect(record.change).toBeNull();
    expect(record.changePercent).toBeNull();
  });

  it('rounds a repeating change percent to 34 significant digits', () => {
    const record = levelToRecord(level({ level: new Dec('1001'), prevClose: new Dec('3') }));
    expect(record.change).toBe('998');
    expect(record.changePercent).toBe('33266.66666666666666666666666666667');
  });

  it('maps non-tick triggers without a symbol, constituents, and a resolved FX observation', () => {
    const contributions: IndexLevel['contributions'] = [
      {
        symbol: '0700.HK',
        price: '400.2',
        fxRate: '0.92187',
        indexShares: '1000',
        contribution: '1.500000000000000000000000',
        weight: '0.250000000000000000000000',
      },
    ];
    const record = levelToRecord(
      level({
        trigger: 'fx-rate',
        symbol: undefined,
        fxObservationId: 'cfets:HKDCNY:3',
        fxStale: true,
        contributions,
      }),
      {
        currency: 'HKD',
        fxObservation: (id) => ({ observationId: id, pair: 'HKDCNY', rate: '0.92187', eventTime: 5 }),
      },
    );
    expect(record).toMatchObject({
      currency: 'HKD',
      trigger: 'FX_RATE',
      triggerSymbol: null,
      stale: true,
      fxObservation: { observationId: 'cfets:HKDCNY:3', pair: 'HKDCNY', rate: '0.92187', eventTime: 5 },
      constituents: [
        {
          symbol: '0700.HK',
          price: '400.2',
          fxRate: '0.92187',
          indexShares: '1000',
          contribution: '1.500000000000000000000000',
          weight: '0.250000000000000000000000',
        },
      ],
    });
    expect(levelToRecord(level({ trigger: 'session-close' })).trigger).toBe('SESSION_CLOSE');
    expect(levelToRecord(level({ trigger: 'index-adjustment' })).triggerSymbol).toBeNull();
  });
});
