import { describe, expect, it } from 'vitest';
import { buildProjection, parseIndexProjection } from './projection.js';
import { EngineSnapshotShapeError, StoredStateError } from './redis-errors.js';
import { sampleEngineSnapshot } from './test-engine-snapshot.js';

describe('buildProjection', () => {
  it('maps indices, symbols and fx to string fields, leaving nulls out', () => {
    const projection = buildProjection(sampleEngineSnapshot(), 5);
    expect(projection.indices).toEqual([
      {
        member: '995365',
        fields: {
          version: '5',
          sequence: '12',
          divisor: '123456.789',
          level: '1034.5678',
          prevClose: '1030.00',
          open: '1031.00',
          high: '1040.00',
          low: '1029.50',
          tradingDate: '2025-11-24',
          constituents: JSON.stringify([
            { symbol: '600519.SH', indexShares: '1000', price: '1688.00', fxRate: '1' },
            { symbol: '0700.HK', indexShares: '500', price: null, fxRate: '0.9132' },
          ]),
        },
      },
    ]);
    expect(projection.symbols).toEqual([
      {
        member: '600519.SH',
        fields: { lastPrice: '1688.00', lastEventTime: '1764000000100', lastSequence: '7' },
      },
      { member: '0700.HK', fields: { lastEventTime: '0' } },
    ]);
    expect(projection.fx).toEqual([
      { member: 'HKDCNY', fields: { rate: '0.9132', eventTime: '1764000000000', observationId: 'fx-42' } },
    ]);
  });

  it('omits tradingDate before the first session', () => {
    const [index] = buildProjection(sampleEngineSnapshot({ tradingDate: null }), 1).indices;
    expect(index?.fields).not.toHaveProperty('tradingDate');
  });

  it('keeps decimal strings byte for byte', () => {
    const [index] = buildProjection(sampleEngineSnapshot({ level: '1000.000000000000000001' }), 1).indices;
    expect(index?.fields.level).toBe('1000.000000000000000001');
  });

  it('names the path and value of a field with the wrong shape', () => {
    const engine = sampleEngineSnapshot();
    const broken = { ...engine, indices: [{ ...engine.indices[0], level: 1034.5 }] };
    expect(() => buildProjection(broken, 1)).toThrow(EngineSnapshotShapeError);
    expect(() => buildProjection(broken, 1)).toThrow(
      expect.objectContaining({ path: 'indices[0].level', value: 1034.5 }),
    );
    expect(() => buildProjection({ ...engine, format: 2 }, 1)).toThrow(
      expect.objectContaining({ path: 'format' }),
    );
    expect(() => buildProjection(null, 1)).toThrow(EngineSnapshotShapeError);
  });
});

describe('parseIndexProjection', () => {
  it('reads back what buildProjection wrote', () => {
    const [entry] = buildProjection(sampleEngineSnapshot({ tradingDate: null }), 3).indices;
    expect(parseIndexProjection('k', '995365', entry?.fields ?? {})).toEqual({
      indexId: '995365',
      version: 3,
      sequence: 12,
      divisor: '123456.789',
      level: '1034.5678',
      prevClose: '1030.00',
      open: '1031.00',
      high: '1040.00',
      low: '1029.50',
      totalReturnLevel: null,
      netTotalReturnLevel: null,
      tradingDate: null,
      constituents: [
        { symbol: '600519.SH', indexShares: '1000', price: '1688.00', fxRate: '1' },
        { symbol: '0700.HK', indexShares: '500', price: null, fxRate: '0.9132' },
      ],
    });
  });

  it('answers null for an absent hash and throws for a damaged one', () => {
    expect(parseIndexProjection('k', 'i', {})).toBeNull();
    expect(() => parseIndexProjection('k', 'i', { version: 'x', sequence: '1', constituents: '[]' })).toThrow(
      StoredStateError,
    );
    expect(() => parseIndexProjection('k', 'i', { version: '1', sequence: '1', constituents: '{' })).toThrow(
      expect.objectContaining({ key: 'k', field: 'constituents' }),
    );
  });
});
