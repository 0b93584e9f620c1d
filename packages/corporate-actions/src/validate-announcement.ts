import {
  ACTION_FIELD_BOUNDS,
  currencyOfSymbol,
  cut,
  echo,
  IDENTIFIER_RULE,
  isBoundRefusal,
  isValidIdentifier,
  marketOfSymbol,
  PRICE_ACTION_TYPES,
  parseBounded,
} from '@indexflow/index-engine';
import type { Announcement } from './announcement.js';
import type { RegisterRejection } from './register-rejection.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The indices and symbols announcements may refer to. */
export interface ActionUniverse {
  hasIndex(indexId: string): boolean;
  /** True when some index holds the symbol now, or an accepted `add` brings it in. */
  knowsSymbol(symbol: string): boolean;
}

type Field = 'ratio' | 'price' | 'amount' | 'shares';

const REQUIRED: Readonly<Record<Announcement['action']['type'], readonly Field[]>> = {
  split: ['ratio'],
  bonus: ['ratio'],
  rights: ['ratio', 'price'],
  cash_dividend: ['amount'],
  special_dividend: ['amount'],
  shares_change: ['shares'],
  add: ['shares'],
  delete: [],
};

export function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/**
 * Checks one announcement on its own (fields, symbol, index, date against `today`); the register
 * adds the checks that need the other announcements. Returns null when it is acceptable.
 */
export function validateAnnouncement(
  announcement: Announcement,
  universe: ActionUniverse,
  today: string,
): RegisterRejection | null {
  const { action, actionId, exDate } = announcement;
  const reject = (
    reason: RegisterRejection['reason'],
    detail: string,
    value?: string,
  ): RegisterRejection => ({
    reason,
    detail: `${actionId}: ${detail}`,
    actionId,
    ...(value === undefined ? {} : { value }),
  });
  // Symbols and index ids share the engine's one character set, so none can split a CSV row.
  if (!isValidIdentifier(action.symbol))
    return reject('invalid_action', `symbol ${echo(action.symbol)} ${IDENTIFIER_RULE}`, cut(action.symbol));
  if (action.indexId !== undefined && !isValidIdentifier(action.indexId))
    return reject('invalid_action', `index ${echo(action.indexId)} ${IDENTIFIER_RULE}`, cut(action.indexId));
  if (!isCalendarDate(exDate))
    return reject('invalid_action', `exDate was ${JSON.stringify(exDate)}`, exDate);
  if (exDate < today) return reject('ex_date_past', `exDate ${exDate} is before ${today}`, exDate);
  for (const field of REQUIRED[action.type]) {
    const raw = action[field];
    const value = raw === undefined ? null : parseBounded(raw, ACTION_FIELD_BOUNDS[field]);
    if (value === null || isBoundRefusal(value)) {
      return reject(
        'invalid_action',
        `${action.type} needs ${field} > 0 within its bound, was ${raw === undefined ? 'null' : echo(raw)}`,
        raw === undefined ? undefined : cut(raw),
      );
    }
  }
  if (action.type === 'add' && action.price !== undefined) {
    const price = parseBounded(action.price, ACTION_FIELD_BOUNDS.price);
    if (isBoundRefusal(price))
      return reject(
        'invalid_action',
        `add price must be > 0 and ≤ 1e9, was ${cut(action.price)}`,
        cut(action.price),
      );
  }
  if (action.indexId !== undefined && PRICE_ACTION_TYPES.has(action.type)) {
    // The engine applies a price action to the symbol in every index that holds it; a scoped one
    // would also slip past the register's duplicate check and fail in the calculator.
    return reject(
      'invalid_action',
      `${action.type} of ${action.symbol} applies in every index holding it; leave index empty (was ${action.indexId})`,
      action.indexId,
    );
  }
  if (action.indexId !== undefined && !universe.hasIndex(action.indexId)) {
    return reject('unknown_index', `index ${action.indexId} is not defined`, action.indexId);
  }
  if (action.type === 'add') {
    if (action.indexId === undefined) return reject('invalid_action', 'add needs an index');
    if (marketOfSymbol(action.symbol) === null && action.currency === undefined) {
      return reject('unknown_symbol', `${action.symbol} has no .SH/.SZ/.HK suffix`, action.symbol);
    }
    return null;
  }
  if (!universe.knowsSymbol(action.symbol)) {
    return reject('unknown_symbol', `no index holds ${action.symbol}`, action.symbol);
  }
  if ((action.type === 'cash_dividend' || action.type === 'special_dividend') && action.currency) {
    // The engine takes amounts in the listing currency (HKD for .HK): a dividend declared in
    // another currency needs an explicit conversion the feed must state, not a silent guess.
    const listing = currencyOfSymbol(action.symbol);
    if (listing !== null && listing !== action.currency) {
      return reject(
        'invalid_action',
        `dividend in ${action.currency} but ${action.symbol} trades in ${listing}`,
        action.currency,
      );
    }
  }
  return null;
}
