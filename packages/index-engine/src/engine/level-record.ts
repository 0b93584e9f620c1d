import { type Dec, formatFixed } from '../decimal.js';
import { formatScaledFixed, fromScaled, LEVEL_DECIMALS, MARKET_VALUE_DECIMALS } from '../fixed-point.js';
import type { FxObservation } from '../fx/fx-book.js';
import type { ConstituentContribution, IndexLevel, LevelTrigger } from '../index-level.js';
import { totalReturnLevel } from '../returns/total-return.js';
import { type ContributionsMode, levelConstituents } from './constituent-shares.js';
import type { IndexBook, TotalReturnState } from './index-book.js';

type TotalReturnInputs = Omit<TotalReturnState, 'withholdingRate'>;

const fromLevel = (scaled: bigint | null): Dec | null =>
  scaled === null ? null : fromScaled(scaled, LEVEL_DECIMALS);

/**
 * A published level. The hot path fills it with scaled BigInts (level, open, high, low and
 * previous close × 10^24, market value × 10^44); the `Dec` fields of `IndexLevel` are getters
 * computed on first access, so a record nobody reads as `Dec` costs no decimal.js work.
 */
export class LevelRecord implements IndexLevel {
  readonly symbol?: string;
  #level: Dec | undefined;
  #marketValue: Dec | undefined;
  #totalReturnLevel: Dec | null | undefined;
  #netTotalReturnLevel: Dec | null | undefined;

  constructor(
    readonly indexId: string,
    readonly eventTime: number,
    readonly sequence: number,
    readonly trigger: LevelTrigger,
    symbol: string | undefined,
    /** Level × 10^24, rounded half-even. */
    readonly levelScaled: bigint,
    readonly openScaled: bigint,
    readonly highScaled: bigint,
    readonly lowScaled: bigint,
    readonly prevCloseScaled: bigint | null,
    readonly divisor: Dec,
    /** Σ P × FX × q × 10^44, exact. */
    readonly marketValueScaled: bigint,
    /** The HKDCNY observation used (an immutable object of the FX book), when the index holds HKD. */
    readonly fxObservation: FxObservation | null,
    readonly fxStale: boolean,
    readonly totalReturnInputs: TotalReturnInputs | null,
    readonly contributions: readonly ConstituentContribution[] | null,
  ) {
    if (symbol !== undefined) this.symbol = symbol;
  }

  get fxObservationId(): string | null {
    return this.fxObservation?.observationId ?? null;
  }

  get level(): Dec {
    if (this.#level === undefined) this.#level = fromScaled(this.levelScaled, LEVEL_DECIMALS);
    return this.#level;
  }

  get marketValue(): Dec {
    if (this.#marketValue === undefined)
      this.#marketValue = fromScaled(this.marketValueScaled, MARKET_VALUE_DECIMALS);
    return this.#marketValue;
  }

  get open(): Dec {
    return fromScaled(this.openScaled, LEVEL_DECIMALS);
  }

  get high(): Dec {
    return fromScaled(this.highScaled, LEVEL_DECIMALS);
  }

  get low(): Dec {
    return fromScaled(this.lowScaled, LEVEL_DECIMALS);
  }

  get prevClose(): Dec | null {
    return fromLevel(this.prevCloseScaled);
  }

  /** S&P chain: TR_t = TR_base × (L_t + dividend points of the day) / L_base, to 34 significant digits. */
  get totalReturnLevel(): Dec | null {
    if (this.#totalReturnLevel === undefined) {
      const tr = this.totalReturnInputs;
      this.#totalReturnLevel =
        tr === null ? null : totalReturnLevel(tr.trBase, this.level, tr.dividendPoints, tr.levelBase);
    }
    return this.#totalReturnLevel;
  }

  get netTotalReturnLevel(): Dec | null {
    if (this.#netTotalReturnLevel === undefined) {
      const tr = this.totalReturnInputs;
      this.#netTotalReturnLevel =
        tr === null ? null : totalReturnLevel(tr.ntrBase, this.level, tr.netDividendPoints, tr.levelBase);
    }
    return this.#netTotalReturnLevel;
  }

  /** The level with `decimals` places, half-up, straight from the scaled integer (no decimal.js). */
  formatLevel(decimals: number): string {
    return formatScaledFixed(this.levelScaled, LEVEL_DECIMALS, decimals);
  }
}

/** A level's `level` as a fixed-decimal string, half-up: fast for engine records, via `Dec` otherwise. */
export function formatLevelFixed(level: IndexLevel, decimals: number): string {
  return level instanceof LevelRecord ? level.formatLevel(decimals) : formatFixed(level.level, decimals);
}

/**
 * Computes the level of a complete, based index, advances its sequence and open/high/low and
 * total-return chain, and returns the published record.
 */
export function emitLevel(
  book: IndexBook,
  eventTime: number,
  trigger: LevelTrigger,
  symbol: string | undefined,
  fx: FxObservation | null,
  contributions: ContributionsMode,
): IndexLevel {
  const level = book.computeLevelScaled();
  const firstOfDay = book.openScaled === null;
  book.levelScaled = level;
  book.sequence += 1;
  book.lastLevelTime = eventTime;
  if (book.openScaled === null) {
    book.openScaled = level;
    book.highScaled = level;
    book.lowScaled = level;
  } else {
    if (level > book.highScaled!) book.highScaled = level;
    if (level < book.lowScaled!) book.lowScaled = level;
  }
  const tr = book.totalReturn;
  const shares = levelConstituents(book, contributions, { firstOfDay, trigger, symbol });
  const record = new LevelRecord(
    book.id,
    eventTime,
    book.sequence,
    trigger,
    symbol,
    level,
    book.openScaled,
    book.highScaled!,
    book.lowScaled!,
    book.prevCloseScaled,
    book.divisor!,
    book.marketValueScaled,
    book.hasHkd ? fx : null,
    book.fxStale,
    tr === null
      ? null
      : {
          trBase: tr.trBase,
          ntrBase: tr.ntrBase,
          levelBase: tr.levelBase,
          dividendPoints: tr.dividendPoints,
          netDividendPoints: tr.netDividendPoints,
        },
    shares,
  );
  return record;
}
