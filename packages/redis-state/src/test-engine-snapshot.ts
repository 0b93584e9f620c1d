// An engine snapshot of the documented `format: 1` shape, for this package's tests.
export function sampleEngineSnapshot(overrides: { level?: string; tradingDate?: string | null } = {}) {
  return {
    format: 1,
    lastEventTime: 1_764_000_000_000,
    tradingDate: overrides.tradingDate === undefined ? '2025-11-24' : overrides.tradingDate,
    fx: [{ pair: 'HKDCNY', rate: '0.9132', eventTime: 1_764_000_000_000, observationId: 'fx-42' }],
    symbols: [
      { symbol: '600519.SH', lastPrice: '1688.00', lastEventTime: 1_764_000_000_100, lastSequence: 7 },
      { symbol: '0700.HK', lastPrice: null, lastEventTime: 0 },
    ],
    indices: [
      {
        id: '995365',
        divisor: '123456.789',
        initialLevel: '1000',
        referencePriceRounding: 'exact',
        withholdingRate: null,
        sequence: 12,
        level: overrides.level ?? '1034.5678',
        prevClose: '1030.00',
        open: '1031.00',
        high: '1040.00',
        low: '1029.50',
        totalReturn: null,
        totalReturnLevel: null,
        netTotalReturnLevel: null,
        constituents: [
          { symbol: '600519.SH', currency: 'CNY', indexShares: '1000', price: '1688.00', fxRate: '1' },
          { symbol: '0700.HK', currency: 'HKD', indexShares: '500', price: null, fxRate: '0.9132' },
        ],
      },
    ],
  };
}
