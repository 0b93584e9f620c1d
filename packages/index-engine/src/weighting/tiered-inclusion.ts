import { Decimal } from 'decimal.js';
import { Dec as D, type Dec, ONE } from '../decimal.js';

const BANDS: ReadonlyArray<readonly [string, string]> = [
  ['0.20', '0.20'],
  ['0.30', '0.30'],
  ['0.40', '0.40'],
  ['0.50', '0.50'],
  ['0.60', '0.60'],
  ['0.70', '0.70'],
  ['0.80', '0.80'],
];

/**
 * 分级靠档: the inclusion ratio for a free-float ratio. Up to 15 % the ratio is rounded up to the
 * next whole percent; then bands (15,20] → 20 % … (70,80] → 80 %; above 80 % → 100 % (TV0).
 */
export function inclusionFactor(freeFloatRatio: Dec): Dec {
  if (freeFloatRatio.lte(new D('0.15'))) {
    return freeFloatRatio.times(100).toDecimalPlaces(0, Decimal.ROUND_CEIL).div(100);
  }
  for (const [upper, factor] of BANDS) {
    if (freeFloatRatio.lte(new D(upper))) return new D(factor);
  }
  return ONE;
}
