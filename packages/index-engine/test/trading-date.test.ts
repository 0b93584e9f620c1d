import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tradingDayOf } from '../src/events/trading-date.js';

describe('tradingDayOf', () => {
  it('agrees with the Asia/Shanghai calendar date for any instant from 1900 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_208_988_800_000, max: 7_258_118_400_000 }), (t) => {
        const day = tradingDayOf(t);
        expect(day.date).toBe(new Date(t + 8 * 3_600_000).toISOString().slice(0, 10));
        expect(t >= day.start && t < day.end).toBe(true);
        expect(day.start).toBe(Date.parse(`${day.date}T00:00:00+08:00`));
      }),
      { numRuns: 2000 },
    );
  });
});
