import { type Dec, LevelDec, ZERO } from '../decimal.js';
import type { ConstituentContribution, IndexLevel, LevelTrigger } from '../index-level.js';
import type { FxObservation } from '../fx/fx-book.js';
import type { IndexBook } from './index-book.js';

function contributionsOf(book: IndexBook): ConstituentContribution[] {
  const out: ConstituentContribution[] = [];
  const divisor = book.divisor!;
  const total = book.marketValue;
  for (const c of book.constituents.values()) {
    out.push({
      symbol: c.symbol,
      price: c.price!,
      fxRate: c.fxRate!,
      indexShares: c.indexShares,
      contribution: LevelDec.div(c.marketValue, divisor) as unknown as Dec,
      weight: total.isZero() ? ZERO : (LevelDec.div(c.marketValue, total) as unknown as Dec),
    });
  }
  return out;
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
  withContributions: boolean,
): IndexLevel {
  const level = book.computeLevel();
  book.level = level;
  book.sequence += 1;
  if (book.open === null) {
    book.open = level;
    book.high = level;
    book.low = level;
  } else {
    if (level.gt(book.high!)) book.high = level;
    if (level.lt(book.low!)) book.low = level;
  }
  const tr = book.totalReturn;
  if (tr !== null) {
    // S&P chain: TR_t = TR_base × (L_t + dividend points of the day) / L_base.
    book.totalReturnLevel = LevelDec.div(tr.trBase.times(level.plus(tr.dividendPoints)), tr.levelBase) as unknown as Dec;
    book.netTotalReturnLevel = LevelDec.div(
      tr.ntrBase.times(level.plus(tr.netDividendPoints)),
      tr.levelBase,
    ) as unknown as Dec;
  }
  return {
    indexId: book.id,
    eventTime,
    sequence: book.sequence,
    level,
    divisor: book.divisor!,
    marketValue: book.marketValue,
    trigger,
    ...(symbol === undefined ? {} : { symbol }),
    prevClose: book.prevClose,
    open: book.open,
    high: book.high!,
    low: book.low!,
    fxObservationId: book.hasHkd && fx !== null ? fx.observationId : null,
    fxStale: book.fxStale,
    totalReturnLevel: book.totalReturnLevel,
    netTotalReturnLevel: book.netTotalReturnLevel,
    contributions: withContributions ? contributionsOf(book) : null,
  };
}
