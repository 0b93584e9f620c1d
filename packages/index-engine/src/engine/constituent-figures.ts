// The figures a level record's constituents carry, from decimal text instead of an engine's
// books: for a reader that holds an index's inputs (the gateway's table, the calculator's Redis
// projection) and wants what the engine would publish for them, digit for digit.
import { Dec } from '../decimal.js';
import {
  FX_DECIMALS,
  MARKET_VALUE_DECIMALS,
  mustScale,
  PRICE_DECIMALS,
  SHARES_DECIMALS,
} from '../fixed-point.js';
import { plainOfScaled } from '../plain-text.js';
import { points, weightScaled } from './constituent-shares.js';
import { LevelQuotient } from './level-quotient.js';

export interface ConstituentInputs {
  readonly symbol: string;
  /** Null before the constituent's first price. */
  readonly price: string | null;
  /** Null while an HKD constituent has no FX rate. */
  readonly fxRate: string | null;
  readonly indexShares: string;
}

export interface ConstituentFigures {
  /** P × FX × q, exact. */
  readonly marketValue: string;
  /** MV / D in index points, 24 dp half-even. */
  readonly contribution: string;
  /** MV / ΣMV, 24 dp half-even. */
  readonly weight: string;
}

/**
 * Each constituent's market value, contribution and weight (null while unpriced) at `divisor`,
 * with ΣMV over the priced ones, exactly as the engine's levels and closes compute them; and ΣMV
 * itself, which equals a level's `marketValue` when the inputs are the index's at that level.
 */
export function constituentFigures(
  divisor: string,
  constituents: readonly ConstituentInputs[],
): { readonly marketValue: string; readonly figures: ReadonlyArray<ConstituentFigures | null> } {
  const quotient = new LevelQuotient(new Dec(divisor));
  const values = constituents.map((c) =>
    c.price === null || c.fxRate === null
      ? null
      : mustScale(new Dec(c.price), PRICE_DECIMALS, `price of ${c.symbol}`) *
        mustScale(new Dec(c.fxRate), FX_DECIMALS, `FX rate of ${c.symbol}`) *
        mustScale(new Dec(c.indexShares), SHARES_DECIMALS, `index shares of ${c.symbol}`),
  );
  const total = values.reduce<bigint>((sum, value) => (value === null ? sum : sum + value), 0n);
  return {
    marketValue: plainOfScaled(total, MARKET_VALUE_DECIMALS),
    figures: values.map((value) =>
      value === null
        ? null
        : {
            marketValue: plainOfScaled(value, MARKET_VALUE_DECIMALS),
            contribution: points(quotient.levelOf(value)),
            weight: points(weightScaled(value, total)),
          },
    ),
  };
}
