import { describe, expect, it } from 'vitest';
import { FxRateFilter } from '../src/fx/fx-rate-filter.js';

const T = 1_742_434_200_000;

describe('FxRateFilter', () => {
  it('publishes a direct HKDCNY quote as it is and refuses bad ones with the engine reasons', () => {
    const filter = new FxRateFilter();
    expect(filter.accept({ pair: 'HKDCNY', rate: '0.92187', eventTime: T })).toEqual({
      accepted: true,
      published: { pair: 'HKDCNY', rate: '0.92187', eventTime: T, derivation: 'HKDCNY', direct: true },
    });
    const reasons = [
      { pair: 'EURCNY', rate: '7.8', eventTime: T + 1 },
      { pair: 'HKDCNY', rate: 'abc', eventTime: T + 1 },
      { pair: 'HKDCNY', rate: '-0.9', eventTime: T + 1 },
      { pair: 'HKDCNY', rate: '0.9218700000001', eventTime: T + 1 },
      { pair: 'HKDCNY', rate: '0.92', eventTime: T - 1 },
    ].map((quote) => {
      const result = filter.accept(quote);
      return result.accepted ? 'accepted' : result.rejection.reason;
    });
    expect(reasons).toEqual([
      'unknown_fx_pair',
      'malformed_fx_rate',
      'non_positive_fx_rate',
      'malformed_fx_rate',
      'out_of_order',
    ]);
  });

  it('refuses a move beyond the band against the last accepted quote of the pair, naming both rates', () => {
    const filter = new FxRateFilter({ maxJump: '0.02' });
    filter.accept({ pair: 'HKDCNY', rate: '0.9200', eventTime: T });
    const jump = filter.accept({ pair: 'HKDCNY', rate: '0.9400', eventTime: T + 1 });
    expect(jump).toMatchObject({ accepted: false, rejection: { reason: 'fx_jump', value: '0.9400' } });
    expect(jump.accepted ? '' : jump.rejection.detail).toContain('0.92 to 0.9400');
    // The refused quote did not become the reference: 0.9384 is within 2 % of 0.92, not of 0.94.
    expect(filter.accept({ pair: 'HKDCNY', rate: '0.9384', eventTime: T + 2 }).accepted).toBe(true);
    expect(filter.accept({ pair: 'HKDCNY', rate: '0.9385', eventTime: T + 3 }).accepted).toBe(true);
  });

  it('accepts a move beyond the band once it persists for `confirmations` quotes, and not a lone spike', () => {
    const filter = new FxRateFilter({ maxJump: '0.02', confirmations: 3 });
    const outcome = (rate: string, t: number) => {
      const r = filter.accept({ pair: 'HKDCNY', rate, eventTime: T + t });
      return r.accepted ? `ok ${r.published?.rate}` : r.rejection.reason;
    };
    expect(outcome('0.9200', 0)).toBe('ok 0.92');
    expect(outcome('0.9900', 1)).toBe('fx_jump');
    expect(outcome('0.9210', 2)).toBe('ok 0.921');
    // A re-peg: the same new level three times in a row becomes the rate.
    expect([outcome('0.8500', 3), outcome('0.8510', 4), outcome('0.8505', 5)]).toEqual([
      'fx_jump',
      'fx_jump',
      'ok 0.8505',
    ]);
    expect(outcome('0.8400', 6)).toBe('ok 0.84');
    // Inconsistent refused quotes start the count again.
    expect([outcome('0.9500', 7), outcome('0.7000', 8), outcome('0.7000', 9)]).toEqual([
      'fx_jump',
      'fx_jump',
      'fx_jump',
    ]);
  });

  it('refuses duplicate and backward sequences per pair', () => {
    const filter = new FxRateFilter();
    filter.accept({ pair: 'USDCNY', rate: '7.2', eventTime: T, sequence: 5 });
    const again = filter.accept({ pair: 'USDCNY', rate: '7.2', eventTime: T + 1, sequence: 5 });
    const back = filter.accept({ pair: 'USDCNY', rate: '7.2', eventTime: T + 1, sequence: 4 });
    expect([again, back].map((r) => (r.accepted ? 'accepted' : r.rejection.reason))).toEqual([
      'duplicate_sequence',
      'out_of_order',
    ]);
    // Another pair keeps its own sequence.
    expect(filter.accept({ pair: 'USDHKD', rate: '7.8', eventTime: T + 1, sequence: 1 }).accepted).toBe(true);
  });

  it('derives HKDCNY from the USD legs at 12 dp and publishes only when rate or time changes', () => {
    const filter = new FxRateFilter();
    expect(filter.accept({ pair: 'USDCNY', rate: '7.2', eventTime: T })).toEqual({
      accepted: true,
      published: null,
    });
    const crossed = filter.accept({ pair: 'USDHKD', rate: '7.8', eventTime: T + 5, observationId: 'h1' });
    expect(crossed).toEqual({
      accepted: true,
      published: {
        pair: 'HKDCNY',
        rate: '0.923076923077',
        eventTime: T + 5,
        derivation: 'USDCNY/h1',
        direct: false,
      },
    });
    // An older direct quote does not beat the newer cross; nothing new to publish.
    expect(filter.accept({ pair: 'HKDCNY', rate: '0.93', eventTime: T + 1 })).toEqual({
      accepted: true,
      published: null,
    });
  });

  it('continues from a snapshot with the same decisions as the uninterrupted filter', () => {
    const quotes = [
      { pair: 'USDCNY', rate: '7.2', eventTime: T, sequence: 1 },
      { pair: 'USDHKD', rate: '7.8', eventTime: T + 1, sequence: 1 },
      { pair: 'USDCNY', rate: '7.21', eventTime: T + 2, sequence: 2 },
      { pair: 'USDCNY', rate: '7.9', eventTime: T + 3, sequence: 3 },
      { pair: 'USDHKD', rate: '7.81', eventTime: T + 4, sequence: 2 },
      { pair: 'USDCNY', rate: '7.91', eventTime: T + 5, sequence: 4 },
      { pair: 'USDCNY', rate: '7.905', eventTime: T + 6, sequence: 5 },
    ];
    const whole = new FxRateFilter({ maxJump: '0.05' });
    const expected = quotes.map((q) => whole.accept(q));
    const first = new FxRateFilter({ maxJump: '0.05' });
    // Cut after the refused jump, so its pending confirmation crosses the snapshot.
    const head = quotes.slice(0, 4).map((q) => first.accept(q));
    const resumed = FxRateFilter.restore(first.snapshot(), { maxJump: '0.05' });
    const tail = quotes.slice(4).map((q) => resumed.accept(q));
    expect([...head, ...tail]).toEqual(expected);
    expect(expected[3]).toMatchObject({ accepted: false, rejection: { reason: 'fx_jump' } });
    expect(expected[6]).toMatchObject({ accepted: true });
  });
});
