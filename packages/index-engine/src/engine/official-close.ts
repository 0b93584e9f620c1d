import { formatPlain } from '../decimal.js';
import {
  FX_DECIMALS,
  fromScaled,
  LEVEL_DECIMALS,
  MARKET_VALUE_DECIMALS,
  mustScale,
  PRICE_DECIMALS,
  pow10,
  quotientHalfEven,
  SHARES_DECIMALS,
  toScaled,
} from '../fixed-point.js';
import type { FxObservation } from '../fx/fx-book.js';
import { points, weightScaled } from './constituent-shares.js';
import type { IndexBook } from './index-book.js';

/** Where the HKDCNY rate of a close came from: the index's closing fixing, or the streamed rate in force. */
export type CloseFxBasis = 'fixing' | 'streamed';

export interface CloseFx {
  readonly pair: 'HKDCNY';
  /** CNY per 1 HKD, as used for every HKD constituent of the close. */
  readonly rate: string;
  readonly eventTime: number;
  readonly basis: CloseFxBasis;
  /**
   * The fixing's source. Null for a streamed rate: its source and observation id depend on the
   * transport (a file line, a topic offset), and the close must be the same bytes live and replayed.
   */
  readonly source: string | null;
}

export interface CloseConstituent {
  readonly symbol: string;
  readonly currency: string;
  /** Closing price in the constituent's trading currency. */
  readonly price: string;
  /** CNY per unit of the constituent's currency ("1" for CNY). */
  readonly fxRate: string;
  readonly indexShares: string;
  /** price × fxRate × indexShares, exact. */
  readonly marketValue: string;
  /** marketValue / Σ marketValue, a fraction of 1, 24 dp half-even. */
  readonly weight: string;
  /** marketValue / divisor in index points, 24 dp half-even; the contributions add up to the level. */
  readonly contribution: string;
  /**
   * (price × fxRate − reference price × reference FX) × indexShares / divisor, in index points,
   * 24 dp half-even. The reference is the constituent's price and FX in the previous official
   * close; for a constituent a corporate action changed at the start of the date (or added), the
   * adjusted previous close the action set. Null when there is no reference price (the index's
   * first close).
   */
  readonly dayContribution: string | null;
}

/**
 * The official close of one index on one trading date: the state at the close instant, with the
 * closing FX, the level recomputed exactly from it, and every constituent's closing inputs.
 * Every decimal is a plain decimal string; the same events always give the same close.
 */
export interface OfficialClose {
  readonly indexId: string;
  /** Asia/Shanghai trading date, YYYY-MM-DD. */
  readonly tradingDate: string;
  /** The close instant (epoch ms): events at or before it are in the close, none after. */
  readonly closeTime: number;
  /** Σ(P × FX × q) / D with the closing FX, 24 dp half-even (the engine's level precision). */
  readonly level: string;
  /** The previous official close of the index (24 dp), or null for its first close. */
  readonly prevClose: string | null;
  /** The day's first, highest and lowest published level (24 dp). */
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly divisor: string;
  readonly marketValue: string;
  /** Null when the index holds no HKD constituent. */
  readonly fx: CloseFx | null;
  /** Ordered by symbol. */
  readonly constituents: readonly CloseConstituent[];
}

/** A constituent's price × 10^20 and FX × 10^12 at the start of the trading date. */
export interface ReferenceValue {
  readonly price: bigint | null;
  readonly fx: bigint | null;
}

/** The closing fixing of the day, when the index has one. */
export interface ClosingFixing extends FxObservation {
  readonly source: string;
}

const plain = (scaled: bigint, decimals: number) => formatPlain(fromScaled(scaled, decimals));

/**
 * Builds the official close of a complete, based index from its current state. With a closing
 * fixing, every HKD constituent is revalued at the fixing and the level recomputed from the same
 * divisor; without one the close is the current (streamed) state, so its level equals the last
 * published level digit for digit.
 */
export function buildOfficialClose(input: {
  readonly book: IndexBook;
  readonly tradingDate: string;
  readonly closeTime: number;
  readonly fixing: ClosingFixing | null;
  readonly streamed: FxObservation | null;
  readonly reference: ReadonlyMap<string, ReferenceValue> | null;
  readonly prevCloseScaled: bigint | null;
}): { close: OfficialClose; levelScaled: bigint; inputs: Map<string, ReferenceValue> } {
  const { book } = input;
  const divisor = book.divisor!;
  // L × 10^24 = MV(× 10^44) / (d / 10^k) / 10^20 = MV × 10^k / (d × 10^20), exactly.
  const places = divisor.decimalPlaces();
  const divisorScaled = toScaled(divisor, places)!;
  const divisorDen = divisorScaled * pow10(MARKET_VALUE_DECIMALS - LEVEL_DECIMALS);
  const divisorNum = pow10(places);
  const toPoints = (marketValue: bigint) => quotientHalfEven(marketValue * divisorNum, divisorDen);
  const fixingScaled =
    input.fixing === null ? null : mustScale(input.fixing.rate, FX_DECIMALS, 'HKDCNY closing fixing');
  const rows = [...book.constituents.values()]
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .map((c) => {
      const fx = c.currency === 'HKD' && fixingScaled !== null ? fixingScaled : c.fxScaled!;
      const marketValue = c.priceScaled! * fx * c.sharesScaled;
      const ref = input.reference?.get(c.symbol);
      const dayChange =
        ref?.price == null || ref.fx === null ? null : marketValue - ref.price * ref.fx * c.sharesScaled;
      return { c, fx, marketValue, dayChange };
    });
  const total = rows.reduce((sum, row) => sum + row.marketValue, 0n);
  const levelScaled = toPoints(total);
  const constituents = rows.map(
    ({ c, fx, marketValue, dayChange }): CloseConstituent => ({
      symbol: c.symbol,
      currency: c.currency,
      price: plain(c.priceScaled!, PRICE_DECIMALS),
      fxRate: plain(fx, FX_DECIMALS),
      indexShares: plain(c.sharesScaled, SHARES_DECIMALS),
      marketValue: plain(marketValue, MARKET_VALUE_DECIMALS),
      weight: points(weightScaled(marketValue, total)),
      contribution: points(toPoints(marketValue)),
      dayContribution: dayChange === null ? null : points(toPoints(dayChange)),
    }),
  );
  let fx: CloseFx | null = null;
  if (book.hasHkd) {
    const used = input.fixing ?? input.streamed;
    if (used !== null) {
      fx = {
        pair: 'HKDCNY',
        rate: formatPlain(used.rate),
        eventTime: used.eventTime,
        basis: input.fixing === null ? 'streamed' : 'fixing',
        source: input.fixing?.source ?? null,
      };
    }
  }
  const level = (scaled: bigint | null, fallback: bigint) => points(scaled ?? fallback);
  const inputs = new Map<string, ReferenceValue>(
    rows.map(({ c, fx }) => [c.symbol, { price: c.priceScaled, fx }]),
  );
  return {
    levelScaled,
    inputs,
    close: {
      indexId: book.id,
      tradingDate: input.tradingDate,
      closeTime: input.closeTime,
      level: points(levelScaled),
      prevClose: input.prevCloseScaled === null ? null : points(input.prevCloseScaled),
      open: level(book.openScaled, levelScaled),
      high: level(book.highScaled, levelScaled),
      low: level(book.lowScaled, levelScaled),
      divisor: formatPlain(divisor),
      marketValue: plain(total, MARKET_VALUE_DECIMALS),
      fx,
      constituents,
    },
  };
}
