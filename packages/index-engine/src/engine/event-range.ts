import type { Membership } from './engine-state.js';
import type { IndexBook } from './index-book.js';

/**
 * Why a tick at `price` (× 10^20) would publish a level (or fix a divisor) outside its range in
 * one of the indices holding the symbol, or null. Computed from the books without changing them,
 * so a refused tick leaves every index exactly as it was.
 */
export function tickRangeProblem(memberships: readonly Membership[], price: bigint): string | null {
  for (let i = 0; i < memberships.length; i += 1) {
    const { book, constituent } = memberships[i]!;
    const fxShares = constituent.fxSharesScaled;
    if (fxShares === null || constituent.priceScaled === price) continue;
    const completes = constituent.priceScaled === null ? 1 : 0;
    if (book.unpricedCount - completes > 0) continue;
    const marketValue = book.marketValueScaled - constituent.marketValueScaled + price * fxShares;
    const problem = book.rangeProblemAt(marketValue);
    if (problem !== null) return `${book.id}: ${problem}`;
  }
  return null;
}

/**
 * Why revaluing an index's HKD constituents at `fxScaled` (× 10^12) would publish a level (or fix
 * a divisor) outside its range, or null. The FX path is cold, so the market value is re-summed.
 */
export function fxRangeProblem(book: IndexBook, fxScaled: bigint): string | null {
  let marketValue = 0n;
  for (const c of book.constituents.values()) {
    if (c.priceScaled === null) return null;
    if (c.currency === 'HKD') marketValue += c.priceScaled * fxScaled * c.sharesScaled;
    else if (c.fxScaled === null) return null;
    else marketValue += c.marketValueScaled;
  }
  const problem = book.rangeProblemAt(marketValue);
  return problem === null ? null : `${book.id}: ${problem}`;
}
