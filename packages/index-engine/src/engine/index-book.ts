import type { ReferencePriceRounding } from '../corporate-actions/reference-price.js';
import type { Dec } from '../decimal.js';
import {
  FX_DECIMALS,
  fromScaled,
  LEVEL_DECIMALS,
  MARKET_VALUE_DECIMALS,
  mustScale,
  PRICE_DECIMALS,
  pow10,
  SHARES_DECIMALS,
} from '../fixed-point.js';
import type { CurrencyCode } from '../identifiers.js';
import { totalReturnLevel } from '../returns/total-return.js';
import { LevelQuotient } from './level-quotient.js';
import {
  baseDivisorProblem,
  levelProblem,
  type MarketValueWindow,
  marketValueWindow,
} from './level-range.js';

const FX_ONE = pow10(FX_DECIMALS);

/**
 * One constituent inside one index: the price this index uses and its running market value, as
 * scaled BigInts (price × 10^20, FX × 10^12, index shares × 10^12, market value × 10^44) so a
 * tick is one exact integer multiplication. The `Dec` accessors are for the cold paths.
 */
export class ConstituentBook {
  priceScaled: bigint | null = null;
  /** CNY per unit of `currency` × 10^12; 10^12 for CNY, the HKDCNY rate (or null if unknown) for HKD. */
  fxScaled: bigint | null;
  sharesScaled: bigint;
  /** FX × shares × 10^24, or null without an FX rate. */
  fxSharesScaled: bigint | null;
  /** P × FX × q × 10^44, or 0 while unpriced. */
  marketValueScaled = 0n;

  constructor(
    readonly symbol: string,
    readonly currency: CurrencyCode,
    indexShares: Dec,
  ) {
    this.sharesScaled = mustScale(indexShares, SHARES_DECIMALS, `index shares of ${symbol}`);
    this.fxScaled = currency === 'CNY' ? FX_ONE : null;
    this.fxSharesScaled = this.fxScaled === null ? null : this.fxScaled * this.sharesScaled;
  }

  get priced(): boolean {
    return this.priceScaled !== null && this.fxScaled !== null;
  }

  get price(): Dec | null {
    return this.priceScaled === null ? null : fromScaled(this.priceScaled, PRICE_DECIMALS);
  }

  /** Sets the price of a constituent not yet in a book (use `IndexBook.reprice` otherwise). */
  set price(value: Dec | null) {
    this.priceScaled = value === null ? null : mustScale(value, PRICE_DECIMALS, `price of ${this.symbol}`);
  }

  get fxRate(): Dec | null {
    return this.fxScaled === null ? null : fromScaled(this.fxScaled, FX_DECIMALS);
  }

  /** Sets the FX rate of a constituent not yet in a book (use `IndexBook.reprice` otherwise). */
  set fxRate(value: Dec | null) {
    this.fxScaled = value === null ? null : mustScale(value, FX_DECIMALS, `FX rate of ${this.symbol}`);
    this.fxSharesScaled = this.fxScaled === null ? null : this.fxScaled * this.sharesScaled;
  }

  get indexShares(): Dec {
    return fromScaled(this.sharesScaled, SHARES_DECIMALS);
  }

  get marketValue(): Dec {
    return fromScaled(this.marketValueScaled, MARKET_VALUE_DECIMALS);
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
 * One index's running state. The market value is kept incrementally as an exact BigInt at
 * 10^44, so a tick costs O(1) per index; `fullMarketValueScaled()` re-sums from scratch and must
 * always agree exactly. The divisor is an exact `Dec` (80 significant digits); setting it
 * precomputes the `LevelQuotient` the hot path divides with. Levels (and open/high/low/previous
 * close) are integers × 10^24, rounded half-even.
 */
export class IndexBook {
  readonly constituents = new Map<string, ConstituentBook>();
  marketValueScaled = 0n;
  /** Constituents without a price (or without FX, for HKD ones). */
  unpricedCount = 0;
  #divisor: Dec | null = null;
  #quotient: LevelQuotient | null = null;
  #window: MarketValueWindow | null = null;
  sequence = 0;
  levelScaled: bigint | null = null;
  prevCloseScaled: bigint | null = null;
  openScaled: bigint | null = null;
  highScaled: bigint | null = null;
  lowScaled: bigint | null = null;
  fxStale = false;
  /** Event time of the last published level (conflation and reports resume from it). */
  lastLevelTime: number | null = null;
  totalReturn: TotalReturnState | null = null;

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

  get divisor(): Dec | null {
    return this.#divisor;
  }

  set divisor(value: Dec | null) {
    this.#divisor = value;
    this.#quotient = value === null ? null : new LevelQuotient(value);
    this.#window = value === null ? null : marketValueWindow(value);
  }

  /**
   * Why publishing with this market value (× 10^44, all constituents priced) would leave a
   * documented range, or null: the level against LEVEL_BOUND, or, before the base is fixed, the
   * divisor `initialLevel` would fix against DIVISOR_BOUND. Checked before an event is applied.
   */
  rangeProblemAt(marketValueScaled: bigint): string | null {
    if (this.#divisor !== null) return levelProblem(marketValueScaled, this.#divisor, this.#window!);
    if (this.initialLevel === null || marketValueScaled === 0n) return null;
    return baseDivisorProblem(marketValueScaled, this.initialLevel);
  }

  get marketValue(): Dec {
    return fromScaled(this.marketValueScaled, MARKET_VALUE_DECIMALS);
  }

  get level(): Dec | null {
    return this.levelScaled === null ? null : fromScaled(this.levelScaled, LEVEL_DECIMALS);
  }

  /** S&P chain from the current state: TR_base × (L + dividend points of the day) / L_base. */
  get totalReturnLevel(): Dec | null {
    const tr = this.totalReturn;
    const level = this.level;
    if (tr === null || level === null) return null;
    return totalReturnLevel(tr.trBase, level, tr.dividendPoints, tr.levelBase);
  }

  get netTotalReturnLevel(): Dec | null {
    const tr = this.totalReturn;
    const level = this.level;
    if (tr === null || level === null) return null;
    return totalReturnLevel(tr.ntrBase, level, tr.netDividendPoints, tr.levelBase);
  }

  addConstituent(constituent: ConstituentBook): void {
    this.constituents.set(constituent.symbol, constituent);
    if (constituent.currency === 'HKD') this.hkdCount += 1;
    if (constituent.priceScaled !== null && constituent.fxSharesScaled !== null) {
      constituent.marketValueScaled = constituent.priceScaled * constituent.fxSharesScaled;
      this.marketValueScaled += constituent.marketValueScaled;
    } else {
      constituent.marketValueScaled = 0n;
      this.unpricedCount += 1;
    }
  }

  removeConstituent(symbol: string): ConstituentBook | undefined {
    const constituent = this.constituents.get(symbol);
    if (!constituent) return undefined;
    this.constituents.delete(symbol);
    if (constituent.currency === 'HKD') this.hkdCount -= 1;
    if (constituent.priced) this.marketValueScaled -= constituent.marketValueScaled;
    else this.unpricedCount -= 1;
    return constituent;
  }

  /** The hot path: a new price (× 10^20) for a constituent; the running market value follows exactly. */
  setPrice(constituent: ConstituentBook, priceScaled: bigint): void {
    const wasPriced = constituent.priceScaled !== null;
    constituent.priceScaled = priceScaled;
    const fxShares = constituent.fxSharesScaled;
    if (fxShares === null) return;
    const after = priceScaled * fxShares;
    if (wasPriced) {
      this.marketValueScaled += after - constituent.marketValueScaled;
    } else {
      this.marketValueScaled += after;
      this.unpricedCount -= 1;
    }
    constituent.marketValueScaled = after;
  }

  /** Sets a constituent's price, FX rate and shares (scaled) and updates the running market value. */
  repriceScaled(constituent: ConstituentBook, price: bigint | null, fx: bigint | null, shares: bigint): void {
    const wasPriced = constituent.priced;
    const before = constituent.marketValueScaled;
    constituent.priceScaled = price;
    if (fx !== constituent.fxScaled || shares !== constituent.sharesScaled) {
      constituent.fxScaled = fx;
      constituent.sharesScaled = shares;
      constituent.fxSharesScaled = fx === null ? null : fx * shares;
    }
    if (price !== null && constituent.fxSharesScaled !== null) {
      const after = price * constituent.fxSharesScaled;
      constituent.marketValueScaled = after;
      this.marketValueScaled += wasPriced ? after - before : after;
      if (!wasPriced) this.unpricedCount -= 1;
    } else {
      constituent.marketValueScaled = 0n;
      if (wasPriced) {
        this.marketValueScaled -= before;
        this.unpricedCount += 1;
      }
    }
  }

  /** `repriceScaled` from `Dec`s, for the cold paths; each must fit its scale exactly. */
  reprice(constituent: ConstituentBook, price: Dec | null, fxRate: Dec | null, indexShares: Dec): void {
    this.repriceScaled(
      constituent,
      price === null ? null : mustScale(price, PRICE_DECIMALS, `price of ${constituent.symbol}`),
      fxRate === null ? null : mustScale(fxRate, FX_DECIMALS, `FX rate of ${constituent.symbol}`),
      mustScale(indexShares, SHARES_DECIMALS, `index shares of ${constituent.symbol}`),
    );
  }

  /** Σ(P × FX × q) × 10^44 from scratch: the reference the incremental value is checked against. */
  fullMarketValueScaled(): bigint {
    let sum = 0n;
    for (const c of this.constituents.values()) {
      if (c.priceScaled !== null && c.fxScaled !== null) sum += c.priceScaled * c.fxScaled * c.sharesScaled;
    }
    return sum;
  }

  fullMarketValue(): Dec {
    return fromScaled(this.fullMarketValueScaled(), MARKET_VALUE_DECIMALS);
  }

  get complete(): boolean {
    return this.unpricedCount === 0 && this.constituents.size > 0;
  }

  /** Fixes the divisor from `initialLevel` once every constituent is priced. Returns true when it did. */
  fixBaseIfReady(): boolean {
    if (this.#divisor !== null || !this.complete || this.initialLevel === null) return false;
    if (this.marketValueScaled === 0n) return false;
    this.divisor = this.marketValue.div(this.initialLevel);
    return true;
  }

  /** L × 10^24 = MV / D rounded half-even to 24 decimal places (see `LevelQuotient`). */
  computeLevelScaled(): bigint {
    return this.#quotient!.levelOf(this.marketValueScaled);
  }

  /** MV / D × 10^24, half-even, for any market value × 10^44: a constituent's contribution. */
  pointsOf(marketValueScaled: bigint): bigint {
    return this.#quotient!.levelOf(marketValueScaled);
  }

  computeLevel(): Dec {
    return fromScaled(this.computeLevelScaled(), LEVEL_DECIMALS);
  }
}
