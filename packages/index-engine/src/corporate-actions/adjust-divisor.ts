import type { Dec } from '../decimal.js';

/**
 * Returns the divisor that keeps the level continuous across a structural change:
 * D' = D × MV' / MV, with both market values at previous-close prices.
 */
export function adjustDivisor(divisor: Dec, marketValueBefore: Dec, marketValueAfter: Dec): Dec {
  if (marketValueAfter.eq(marketValueBefore)) return divisor;
  return divisor.times(marketValueAfter).div(marketValueBefore);
}
