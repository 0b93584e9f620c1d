/**
 * The phase of a trading session segment. The names are those of the MarketTick schema's
 * tradingPhase enum (schemas/market-tick.avsc): BREAK is the lunch break and the A-share 09:25–09:30
 * pause after the opening auction; HKEX's pre-opening session is its OPENING_AUCTION.
 */
export type SessionPhase = 'OPENING_AUCTION' | 'CONTINUOUS' | 'BREAK' | 'CLOSING_AUCTION';

/**
 * Where a market is at an instant (`phaseAt`): a session phase, before the first session of a
 * trading day (PRE_OPEN), after its close (CLOSED), or on a day without a session.
 */
export type MarketPhase = SessionPhase | 'PRE_OPEN' | 'CLOSED' | 'NON_TRADING_DAY';

/**
 * A tick's trading phase on the wire (schemas/market-tick.avsc): the market's phase or the
 * instrument's own state (suspended, after-hours fixed-price trading at the close).
 */
export type TradingPhase = Exclude<MarketPhase, 'NON_TRADING_DAY'> | 'SUSPENDED' | 'AFTER_HOURS_FIXED_PRICE';

export const SESSION_PHASES: readonly SessionPhase[] = [
  'OPENING_AUCTION',
  'CONTINUOUS',
  'BREAK',
  'CLOSING_AUCTION',
];

export function isSessionPhase(value: string): value is SessionPhase {
  return (SESSION_PHASES as readonly string[]).includes(value);
}

/** Every `TradingPhase`, in the order of the MarketTick schema's enum. */
export const TRADING_PHASES: readonly TradingPhase[] = [
  'PRE_OPEN',
  'OPENING_AUCTION',
  'CONTINUOUS',
  'BREAK',
  'CLOSING_AUCTION',
  'CLOSED',
  'SUSPENDED',
  'AFTER_HOURS_FIXED_PRICE',
];
