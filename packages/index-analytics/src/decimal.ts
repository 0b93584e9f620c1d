import { Decimal } from 'decimal.js';

/**
 * The analytics package's own decimal context. A private clone means no other code's
 * `Decimal.set()` can change the published numbers. 40 significant digits leave ~30 digits of
 * headroom over the 4–6 digits a statistic is printed with, even after a thousand `ln` calls are
 * summed for the volatility.
 */
export const Dec = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Dec = InstanceType<typeof Dec>;
