import { type Dec, LevelDec, ONE, ZERO } from '../decimal.js';
import type { CurrencyCode } from '../identifiers.js';
import type { ReferencePriceRounding } from '../corporate-actions/reference-price.js';

/** One constituent inside one index: the price this index uses and its running market value. */
export class ConstituentBook {
  price: Dec | null = null;
  /** CNY per unit of `currency`; ONE for CNY, the HKDCNY rate (or null if unknown) for HKD. */
  fxRate: Dec | null;
  /** P × FX × q, or ZERO while unpriced. */
  marketValue: Dec = ZERO;

  constructor(
    readonly symbol: string,
    readonly currency: CurrencyCode,
    public indexShares: Dec,
  ) {
    this.fxRate = currency === 'CNY' ? ONE : null;
  }

  get priced(): boolean {
    return this.price !== null && this.fxRate !== null;
  }
}

export interface TotalReturnState {
  readonly withholdingRate: Dec;
  /** TR and NTR levels and the price level at the last day roll; the chain links from there. */
  trBase: Dec;
  ntrBase: Dec;
  levelBase: Dec;
  /** Index points of regular cash dividends gone ex today (gross and net of withholding). */
  dividendPoints: Dec;
  netDividendPoints: Dec;
}

/**
 * One index's running state. The market value is kept incrementally, so a tick costs O(1) per
 * index; `fullMarketValue()` re-sums from scratch and must always agree exactly.
 */
export class IndexBook {
  readonly constituents = new Map<string, ConstituentBook>();
  marketValue: Dec = ZERO;
  /** Constituents without a price (or without FX, for HKD ones). */
  unpricedCount = 0;
  divisor: Dec | null;
  sequence = 0;
  level: Dec | null = null;
  prevClose: Dec | null = null;
  open: Dec | null = null;
  high: Dec | null = null;
  low: Dec | null = null;
  fxStale = false;
  totalReturn: TotalReturnState | null = null;
  totalReturnLevel: Dec | null = null;
  netTotalReturnLevel: Dec | null = null;

  constructor(
    readonly id: string,
    readonly initialLevel: Dec | null,
    divisor: Dec | null,
    readonly referencePriceRounding: ReferencePriceRounding,
    readonly withholdingRate: Dec | null,
  ) {
    this.divisor = divisor;
  }

  /** Number of HKD constituents, kept so FX moves and stamps cost nothing for CNY-only indices. */
  hkdCount = 0;

  get hasHkd(): boolean {
    return this.hkdCount > 0;
  }

  addConstituent(constituent: ConstituentBook): void {
    this.constituents.set(constituent.symbol, constituent);
    if (constituent.currency === 'HKD') this.hkdCount += 1;
    if (constituent.priced) {
      constituent.marketValue = constituent.price!.times(constituent.fxRate!).times(constituent.indexShares);
      this.marketValue = this.marketValue.plus(constituent.marketValue);
    } else {
      this.unpricedCount += 1;
    }
  }

  removeConstituent(symbol: string): ConstituentBook | undefined {
    const constituent = this.constituents.get(symbol);
    if (!constituent) return undefined;
    this.constituents.delete(symbol);
    if (constituent.currency === 'HKD') this.hkdCount -= 1;
    if (constituent.priced) this.marketValue = this.marketValue.minus(constituent.marketValue);
    else this.unpricedCount -= 1;
    return constituent;
  }

  /** Sets a constituent's price, FX rate and/or shares and updates the running market value. */
  reprice(constituent: ConstituentBook, price: Dec | null, fxRate: Dec | null, indexShares: Dec): void {
    const wasPriced = constituent.priced;
    const before = constituent.marketValue;
    constituent.price = price;
    constituent.fxRate = fxRate;
    constituent.indexShares = indexShares;
    if (price !== null && fxRate !== null) {
      const after = price.times(fxRate).times(indexShares);
      constituent.marketValue = after;
      this.marketValue = wasPriced ? this.marketValue.plus(after.minus(before)) : this.marketValue.plus(after);
      if (!wasPriced) this.unpricedCount -= 1;
    } else {
      constituent.marketValue = ZERO;
      if (wasPriced) {
        this.marketValue = this.marketValue.minus(before);
        this.unpricedCount += 1;
      }
    }
  }

  /** Σ(P × FX × q) from scratch: the reference the incremental value is checked against. */
  fullMarketValue(): Dec {
    let sum = ZERO;
    for (const c of this.constituents.values()) {
      if (c.priced) sum = sum.plus(c.price!.times(c.fxRate!).times(c.indexShares));
    }
    return sum;
  }

  get complete(): boolean {
    return this.unpricedCount === 0 && this.constituents.size > 0;
  }

  /** Fixes the divisor from `initialLevel` once every constituent is priced. Returns true when it did. */
  fixBaseIfReady(): boolean {
    if (this.divisor !== null || !this.complete || this.initialLevel === null) return false;
    if (this.marketValue.isZero()) return false;
    this.divisor = this.marketValue.div(this.initialLevel);
    return true;
  }

  computeLevel(): Dec {
    return LevelDec.div(this.marketValue, this.divisor!) as unknown as Dec;
  }
}
