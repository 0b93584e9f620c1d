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

/** What `constituentFigures` gives for a whole index. */
export interface IndexFigures {
  /** ΣMV over the priced constituents, exact: a level's `marketValue` for the index's inputs. */
  readonly marketValue: string;
  /** ΣMV / D in index points, 24 dp half-even (all 24 places): the official close's level. */
  readonly level: string;
  /** Per constituent, in input order; null while unpriced. */
  readonly figures: ReadonlyArray<ConstituentFigures | null>;
}

/**
 * Each constituent's market value, contribution and weight at `divisor`, with ΣMV over the priced
 * ones, and the level itself, exactly as the engine's levels and closes compute them.
 */
export function constituentFigures(
  divisor: string,
  constituents: readonly ConstituentInputs[],
): IndexFigures {
  const quotient = new LevelQuotient(new Dec(divisor));
  const values = marketValues(constituents);
  const total = sumOf(values);
  return {
    marketValue: plainOfScaled(total, MARKET_VALUE_DECIMALS),
    level: points(quotient.levelOf(total)),
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

/**
 * Each constituent's weight MV / ΣMV (24 dp half-even, null while unpriced), for an index that may
 * have no divisor yet: the same rule as `constituentFigures` and the engine's levels.
 */
export function constituentWeights(constituents: readonly ConstituentInputs[]): ReadonlyArray<string | null> {
  const values = marketValues(constituents);
  const total = sumOf(values);
  return values.map((value) => (value === null ? null : points(weightScaled(value, total))));
}

/** P × FX × q × 10^44 of each constituent, exact; null while unpriced. */
function marketValues(constituents: readonly ConstituentInputs[]): Array<bigint | null> {
  return constituents.map((c) =>
    c.price === null || c.fxRate === null
      ? null
      : mustScale(new Dec(c.price), PRICE_DECIMALS, `price of ${c.symbol}`) *
        mustScale(new Dec(c.fxRate), FX_DECIMALS, `FX rate of ${c.symbol}`) *
        mustScale(new Dec(c.indexShares), SHARES_DECIMALS, `index shares of ${c.symbol}`),
  );
}

const sumOf = (values: ReadonlyArray<bigint | null>) =>
  values.reduce<bigint>((sum, value) => (value === null ? sum : sum + value), 0n);
