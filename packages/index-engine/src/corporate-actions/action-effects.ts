import { Decimal } from 'decimal.js';
import { cut, echo, isBoundRefusal, parseBounded, rangeProblem } from '../bounded-decimal.js';
import { ACTION_FIELD_BOUNDS, DIVISOR_BOUND } from '../bounds.js';
import { type Dec, ONE, ZERO } from '../decimal.js';
import { addRoute, type EngineState, removeRoute } from '../engine/engine-state.js';
import { ConstituentBook, type IndexBook } from '../engine/index-book.js';
import type { IndexAdjustmentEvent } from '../events/index-event.js';
import {
  fromScaled,
  MARKET_VALUE_DECIMALS,
  mustScale,
  PRICE_DECIMALS,
  SHARES_DECIMALS,
  toScaled,
} from '../fixed-point.js';
import { currencyOfSymbol, IDENTIFIER_RULE, isCurrencyCode, isValidIdentifier } from '../identifiers.js';
import type { Rejection } from '../rejection.js';
import { adjustDivisor } from './adjust-divisor.js';
import { type CorporateAction, PRICE_ACTION_TYPES } from './corporate-action.js';
import { exRightsPrices } from './reference-price.js';

interface PriceActionGroup {
  split?: Dec;
  bonus?: Dec;
  rightsRatio?: Dec;
  rightsPrice?: Dec;
  cash?: Dec;
  special?: Dec;
}

class ActionError extends Error {
  constructor(
    readonly reason: Rejection['reason'],
    message: string,
    readonly value?: string,
  ) {
    super(message);
  }
}

function positive(action: CorporateAction, field: 'ratio' | 'price' | 'amount' | 'shares'): Dec {
  const raw = action[field];
  if (raw === undefined || raw === '') {
    throw new ActionError('invalid_action', `${action.type} of ${action.symbol} needs ${field}`);
  }
  const value = parseBounded(raw, ACTION_FIELD_BOUNDS[field]);
  if (isBoundRefusal(value)) {
    const why = value.problem === 'non_positive' ? `must be > 0, was ${cut(raw)}` : value.detail;
    throw new ActionError('invalid_action', `${action.type} of ${action.symbol}: ${field} ${why}`, cut(raw));
  }
  return value;
}

/** A `positive` field that must also fit a fixed scale exactly (index shares, prices). */
function positiveScaled(action: CorporateAction, field: 'price' | 'shares', decimals: number): Dec {
  const value = positive(action, field);
  if (toScaled(value, decimals) === null) {
    throw new ActionError(
      'invalid_action',
      `${action.type} of ${action.symbol}: ${field} must have at most ${decimals} decimal places, was ${action[field]}`,
      action[field],
    );
  }
  return value;
}

/**
 * Index shares after an ex-date factor: exact when they fit 12 decimal places, otherwise rounded
 * half-even to 12 (before the divisor is computed from them, so the level stays continuous).
 */
function sharesAfter(shares: Dec, factor: Dec): { shares: Dec; rounded: boolean } {
  const exact = shares.times(factor);
  if (exact.decimalPlaces() <= SHARES_DECIMALS) return { shares: exact, rounded: false };
  return { shares: exact.toDecimalPlaces(SHARES_DECIMALS, Decimal.ROUND_HALF_EVEN), rounded: true };
}

function targetBooks(state: EngineState, action: CorporateAction): IndexBook[] {
  if (action.indexId) {
    const book = state.books.get(action.indexId);
    if (!book)
      throw new ActionError('unknown_index', `index ${action.indexId} is not defined`, action.indexId);
    return [book];
  }
  return (state.routing.get(action.symbol) ?? []).map((m) => m.book);
}

/** Collects one symbol's price actions of a date; a second action of the same type is a conflict. */
function collectPriceGroup(actions: readonly CorporateAction[]): PriceActionGroup {
  const group: PriceActionGroup = {};
  const seen = new Set<string>();
  for (const action of actions) {
    if (seen.has(action.type)) {
      throw new ActionError(
        'invalid_action',
        `conflicting second ${action.type} for ${action.symbol} on one date`,
      );
    }
    seen.add(action.type);
    switch (action.type) {
      case 'split':
        group.split = positive(action, 'ratio');
        break;
      case 'bonus':
        group.bonus = positive(action, 'ratio');
        break;
      case 'rights':
        group.rightsRatio = positive(action, 'ratio');
        group.rightsPrice = positive(action, 'price');
        break;
      case 'cash_dividend':
        group.cash = positive(action, 'amount');
        break;
      case 'special_dividend':
        group.special = positive(action, 'amount');
        break;
      default:
        throw new ActionError('invalid_action', `${action.type} is not a price action`);
    }
  }
  return group;
}

function applyPriceGroup(
  state: EngineState,
  symbol: string,
  group: PriceActionGroup,
  affected: Set<IndexBook>,
): void {
  const memberships = state.routing.get(symbol) ?? [];
  const symbolState = state.symbols.get(symbol);
  if (memberships.length === 0 && (symbolState === undefined || symbolState.lastPrice === null)) {
    throw new ActionError('unknown_symbol', `no index holds ${symbol} and it has no price`, symbol);
  }
  const inputs = {
    cashDividend: group.cash,
    specialDividend: group.special,
    bonusRatio: group.bonus,
    rightsRatio: group.rightsRatio,
    rightsPrice: group.rightsPrice,
    splitRatio: group.split,
  };
  for (const { constituent } of memberships) {
    const pc = constituent.price;
    if (pc?.lte((group.cash ?? ZERO).plus(group.special ?? ZERO))) {
      throw new ActionError(
        'invalid_action',
        `dividend of ${symbol} is not below its previous close ${pc.toFixed()}`,
      );
    }
  }
  // Every index's new shares and divisor are worked out before anything changes, so a divisor
  // that would leave its range refuses the whole step and leaves every index as it was.
  const steps = memberships.map(({ book, constituent }) => priceStep(book, constituent, group, inputs));
  for (const step of steps) if (step.divisor !== null) checkDivisor(step.book, step.divisor);
  if (symbolState !== undefined && symbolState.lastPrice !== null) {
    const prevClose = fromScaled(symbolState.lastPrice, PRICE_DECIMALS);
    const exchangePrice = exRightsPrices({ prevClose, ...inputs }, 'exact').exchangePrice;
    symbolState.lastPrice = mustScale(exchangePrice, PRICE_DECIMALS, `reference price of ${symbol}`);
  }
  for (const step of steps) {
    const { book, constituent } = step;
    if (step.divisor !== null) {
      const divisorBefore = book.divisor!;
      book.divisor = step.divisor;
      const tr = book.totalReturn;
      if (tr !== null && group.cash !== undefined) {
        const points = group.cash
          .times(constituent.fxRate!)
          .times(constituent.indexShares)
          .div(divisorBefore);
        tr.dividendPoints = tr.dividendPoints.plus(points);
        tr.netDividendPoints = tr.netDividendPoints.plus(points.times(ONE.minus(tr.withholdingRate)));
      }
    }
    book.reprice(constituent, step.price, constituent.fxRate, step.shares);
    affected.add(book);
  }
}

type ExRightsInputsOf = Omit<Parameters<typeof exRightsPrices>[0], 'prevClose'>;

interface PriceStep {
  readonly book: IndexBook;
  readonly constituent: ConstituentBook;
  /** The constituent's price after the step (null while it has none). */
  readonly price: Dec | null;
  readonly shares: Dec;
  /** The adjusted divisor, or null when the divisor is not touched. */
  readonly divisor: Dec | null;
}

/** One index's side of an ex-rights step, computed without changing the book. */
function priceStep(
  book: IndexBook,
  constituent: ConstituentBook,
  group: PriceActionGroup,
  inputs: ExRightsInputsOf,
): PriceStep {
  const pc = constituent.price;
  if (pc === null) {
    // Not priced yet: only the share count changes; there is no market value to keep continuous.
    const factor = exRightsPrices({ prevClose: ONE, ...inputs }).shareFactor;
    return {
      book,
      constituent,
      price: null,
      shares: sharesAfter(constituent.indexShares, factor).shares,
      divisor: null,
    };
  }
  const prices = exRightsPrices({ prevClose: pc, ...inputs }, book.referencePriceRounding);
  const oldShares = constituent.indexShares;
  const { shares: newShares, rounded } = sharesAfter(oldShares, prices.shareFactor);
  const fx = constituent.fxRate;
  if (book.divisor === null || fx === null || !constituent.priced) {
    return { book, constituent, price: prices.exchangePrice, shares: newShares, divisor: null };
  }
  // Exact mode uses P_idx × q' = (Pc − special + S·k) × q, free of any division, so a split or
  // bonus leaves the divisor exactly unchanged; the rounded mode uses the published price. When
  // q' had to be rounded to 12 dp, the index-purpose price times the rounded q' is the value.
  const indexPurposeValue =
    book.referencePriceRounding === 'exact' && !rounded
      ? pc
          .minus(group.special ?? ZERO)
          .plus((group.rightsPrice ?? ZERO).times(group.rightsRatio ?? ZERO))
          .times(fx)
          .times(oldShares)
      : prices.indexPurposePrice.times(fx).times(newShares);
  const before = book.marketValue;
  const after = before.minus(constituent.marketValue).plus(indexPurposeValue);
  return {
    book,
    constituent,
    price: prices.exchangePrice,
    shares: newShares,
    divisor: adjustDivisor(book.divisor, before, after),
  };
}

/** Refuses (level_out_of_range) a step that would move an index's divisor outside DIVISOR_BOUND. */
function checkDivisor(book: IndexBook, divisor: Dec): Dec {
  const problem = rangeProblem(divisor, DIVISOR_BOUND);
  if (problem !== null) {
    throw new ActionError(
      'level_out_of_range',
      `${book.id}: the divisor would be ${divisor.toSignificantDigits(12).toString()}, which ${problem}`,
      book.id,
    );
  }
  return divisor;
}

/** D × MV'/MV for a structural change, checked against DIVISOR_BOUND before the book changes. */
function adjustedDivisor(book: IndexBook, before: Dec, after: Dec): Dec {
  return checkDivisor(book, adjustDivisor(book.divisor!, before, after));
}

function applyStructural(state: EngineState, action: CorporateAction, affected: Set<IndexBook>): void {
  switch (action.type) {
    case 'shares_change':
      changeShares(state, action, affected);
      return;
    case 'add':
      addConstituent(state, action, affected);
      return;
    case 'delete':
      deleteConstituent(state, action, affected);
      return;
    default:
      throw new ActionError('invalid_action', `${action.type} is not a structural action`);
  }
}

/** New index shares for a symbol in every index holding it (or the one named), D rebased. */
function changeShares(state: EngineState, action: CorporateAction, affected: Set<IndexBook>): void {
  const shares = positiveScaled(action, 'shares', SHARES_DECIMALS);
  const books = targetBooks(state, action);
  if (books.length === 0)
    throw new ActionError('unknown_symbol', `no index holds ${action.symbol}`, action.symbol);
  for (const book of books) {
    const constituent = book.constituents.get(action.symbol);
    if (!constituent)
      throw new ActionError('unknown_symbol', `${book.id} does not hold ${action.symbol}`, action.symbol);
    const before = book.marketValue;
    const after = constituent.priced
      ? before
          .minus(constituent.marketValue)
          .plus(constituent.price!.times(constituent.fxRate!).times(shares))
      : before;
    const divisor = book.divisor !== null && constituent.priced ? adjustedDivisor(book, before, after) : null;
    book.reprice(constituent, constituent.price, constituent.fxRate, shares);
    if (divisor !== null) book.divisor = divisor;
    affected.add(book);
  }
}

/** The constituent an `add` brings, priced from the action or the symbol's last price. */
function newConstituent(state: EngineState, action: CorporateAction, book: IndexBook): ConstituentBook {
  if (!isValidIdentifier(action.symbol)) {
    throw new ActionError(
      'invalid_action',
      `add of ${echo(action.symbol)}: symbol ${IDENTIFIER_RULE}`,
      cut(action.symbol),
    );
  }
  if (book.constituents.has(action.symbol)) {
    throw new ActionError('invalid_action', `${book.id} already holds ${action.symbol}`, action.symbol);
  }
  const shares = positiveScaled(action, 'shares', SHARES_DECIMALS);
  const currency = action.currency ?? currencyOfSymbol(action.symbol);
  if (currency === null || !isCurrencyCode(currency)) {
    throw new ActionError('invalid_action', `currency of ${action.symbol} is unknown`, action.currency);
  }
  const price = action.price
    ? toScaled(positiveScaled(action, 'price', PRICE_DECIMALS), PRICE_DECIMALS)
    : (state.symbols.get(action.symbol)?.lastPrice ?? null);
  const constituent = new ConstituentBook(action.symbol, currency, shares);
  if (currency === 'HKD') constituent.fxRate = state.fx.hkdCny?.rate ?? null;
  constituent.priceScaled = price;
  if (book.divisor !== null && !constituent.priced) {
    throw new ActionError(
      price === null ? 'missing_price' : 'missing_fx',
      `cannot add ${action.symbol} to ${book.id} without a ${price === null ? 'price' : 'HKDCNY rate'}`,
      action.symbol,
    );
  }
  return constituent;
}

/** A new constituent in the named index, D rebased so the level does not move. */
function addConstituent(state: EngineState, action: CorporateAction, affected: Set<IndexBook>): void {
  if (!action.indexId) throw new ActionError('invalid_action', `add of ${action.symbol} needs an index`);
  const [book] = targetBooks(state, action);
  if (!book) throw new ActionError('unknown_index', `index ${action.indexId} is not defined`, action.indexId);
  const constituent = newConstituent(state, action, book);
  const before = book.marketValue;
  if (book.divisor !== null && before.isZero()) {
    // D' = D × MV'/MV has no answer from an empty index; refuse before changing anything.
    throw new ActionError(
      'invalid_action',
      `${book.id} holds no priced constituent to rebase its divisor on`,
      book.id,
    );
  }
  const added = () =>
    fromScaled(constituent.priceScaled! * constituent.fxSharesScaled!, MARKET_VALUE_DECIMALS);
  const divisor = book.divisor === null ? null : adjustedDivisor(book, before, before.plus(added()));
  book.addConstituent(constituent);
  addRoute(state, book, constituent);
  if (divisor !== null) book.divisor = divisor;
  affected.add(book);
}

/** A symbol leaves every index holding it (or the one named), D rebased. */
function deleteConstituent(state: EngineState, action: CorporateAction, affected: Set<IndexBook>): void {
  const books = targetBooks(state, action);
  if (books.length === 0)
    throw new ActionError('unknown_symbol', `no index holds ${action.symbol}`, action.symbol);
  for (const book of books) {
    if (!book.constituents.has(action.symbol)) {
      throw new ActionError('unknown_symbol', `${book.id} does not hold ${action.symbol}`, action.symbol);
    }
    const before = book.marketValue;
    const leaving = book.constituents.get(action.symbol)!;
    const after = leaving.priced ? before.minus(leaving.marketValue) : before;
    const divisor =
      book.divisor !== null && leaving.priced && !after.isZero()
        ? adjustedDivisor(book, before, after)
        : null;
    book.removeConstituent(action.symbol);
    removeRoute(state, book, action.symbol);
    if (divisor !== null) book.divisor = divisor;
    affected.add(book);
  }
}

/**
 * Applies one date's actions in order, before any price of that date, calling `afterStep` with
 * the indices each step changed so a level is published per action. A symbol's price actions
 * (split, bonus, rights, dividends) are combined into one ex-rights step at the position of the
 * first of them, as the exchange combines them in one reference price. Each action that fails
 * validation is returned as a rejection and changes nothing.
 */
export function applyIndexAdjustment(
  state: EngineState,
  event: IndexAdjustmentEvent,
  afterStep: (affected: IndexBook[]) => void,
): Rejection[] {
  const rejections: Rejection[] = [];
  const doneSymbols = new Set<string>();
  const reject = (error: unknown, action: CorporateAction): void => {
    if (!(error instanceof ActionError)) throw error;
    rejections.push({
      reason: error.reason,
      detail: error.message,
      eventTime: event.eventTime,
      symbol: action.symbol,
      ...(action.indexId ? { indexId: action.indexId } : {}),
      ...(error.value === undefined ? {} : { value: error.value }),
      actionIndex: event.actions.indexOf(action),
    });
  };
  for (const action of event.actions) {
    const affected = new Set<IndexBook>();
    if (PRICE_ACTION_TYPES.has(action.type)) {
      if (doneSymbols.has(action.symbol)) continue;
      doneSymbols.add(action.symbol);
      const group = event.actions.filter((a) => a.symbol === action.symbol && PRICE_ACTION_TYPES.has(a.type));
      try {
        applyPriceGroup(state, action.symbol, collectPriceGroup(group), affected);
      } catch (error) {
        reject(error, action);
      }
    } else {
      try {
        applyStructural(state, action, affected);
      } catch (error) {
        reject(error, action);
      }
    }
    if (affected.size > 0) afterStep([...affected]);
  }
  return rejections;
}
