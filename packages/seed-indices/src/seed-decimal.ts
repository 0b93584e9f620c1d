import { Decimal } from 'decimal.js';

/** The package's own decimal context, so no other code's `Decimal.set()` can change the seed math. */
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof Dec>;
