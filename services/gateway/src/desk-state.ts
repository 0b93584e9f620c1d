// What a desk is told about an index's market and feed: pre-open, open (an auction or continuous
// trading), lunch, closed, halted or stale. Pure: decided from the market calendar, the event time
// of the index's latest level and when levels arrived (the gateway's clock), never from a fixed
// time of day. See docs/gateway.md, "Dashboard over the trading day".
import {
  DEFAULT_CALENDAR,
  type Market,
  type MarketCalendar,
  tradingDateOf,
} from '@indexflow/market-calendar';
import { type IndexSession, indexSessionOf } from './index-session.js';

/** Where the index's markets are, by the calendar. */
export type MarketState =
  | 'pre_open'
  | 'opening_auction'
  | 'continuous'
  | 'closing_auction'
  | 'lunch'
  | 'closed'
  | 'non_trading_day';

/** The market's state, or what is wrong with the feed while levels are expected. */
export type DeskState = MarketState | 'halted' | 'stale';

/** The badge a dashboard shows: a colour class per kind, `label` as its text. */
export type DeskBadge = 'pre-open' | 'open' | 'lunch' | 'closed' | 'halted' | 'stale';

export interface DeskStateView {
  readonly state: DeskState;
  readonly market: MarketState;
  readonly badge: DeskBadge;
  readonly label: string;
  /** The trading date the state is about. */
  readonly date: string;
  /** The event-time clock the market state was read at (see `deskClock`). */
  readonly clock: number;
  /** Why the feed is stale or the index halted; null otherwise. */
  readonly reason: string | null;
}

export interface DeskStateInput {
  readonly markets: readonly Market[];
  /** The gateway's clock (epoch ms). */
  readonly now: number;
  /** The index's latest level: its event time, and when the gateway received it. */
  readonly latest: { readonly eventTime: number; readonly arrivedAt: number } | null;
  /** When the gateway last received a level of any index; null if never. */
  readonly feedArrivedAt: number | null;
  readonly staleAfterMs: number;
  readonly calendar?: MarketCalendar;
}

const LABELS: Readonly<Record<DeskState, readonly [DeskBadge, string]>> = {
  pre_open: ['pre-open', 'pre-open'],
  opening_auction: ['open', 'open · opening auction'],
  continuous: ['open', 'open · continuous'],
  closing_auction: ['open', 'open · closing auction'],
  lunch: ['lunch', 'lunch break'],
  closed: ['closed', 'closed'],
  non_trading_day: ['closed', 'closed · no session today'],
  halted: ['halted', 'halted'],
  stale: ['stale', 'stale feed'],
};

/**
 * The event-time clock of an index: its latest level's event time, moved on by the time since that
 * level arrived. Live, that is the exchange's clock; in a replay of a past day it is the replayed
 * day's, so a replay and a live day read the same states. Without a level, the gateway's clock.
 */
export function deskClock(input: Pick<DeskStateInput, 'now' | 'latest'>): number {
  const { now, latest } = input;
  return latest === null ? now : latest.eventTime + Math.max(0, now - latest.arrivedAt);
}

const PHASE_RANK = { CONTINUOUS: 3, CLOSING_AUCTION: 2, OPENING_AUCTION: 1, BREAK: 0 } as const;
const PHASE_STATE = ['opening_auction', 'opening_auction', 'closing_auction', 'continuous'] as const;

/** The market state of an index's session at an instant; the busiest venue decides. */
export function marketStateAt(session: IndexSession | null, instant: number): MarketState {
  if (session === null) return 'non_trading_day';
  if (instant < session.open) return 'pre_open';
  if (instant >= session.close) return 'closed';
  if (session.gaps.some((gap) => instant >= gap.start && instant < gap.end)) return 'lunch';
  let rank = -1;
  for (const venue of session.sessions) {
    const phase = venue.phases.find((p) => instant >= p.start && instant < p.end);
    if (phase !== undefined) rank = Math.max(rank, PHASE_RANK[phase.phase]);
  }
  // A venue's own BREAK inside the index's trading span is the A-share pause after the opening
  // auction (lunches are gaps): the auction's prices stand until continuous trading.
  return rank < 0 ? 'lunch' : PHASE_STATE[rank]!;
}

/**
 * The desk state. Levels are expected only in continuous trading (auctions publish one price at
 * their end); then no level from the feed at all for `staleAfterMs` is a stale feed, and no level
 * of this index while others arrive is a halt (every constituent suspended: the methodology stops
 * computing; no record carries a halt flag).
 */
export function deskState(input: DeskStateInput): DeskStateView {
  const calendar = input.calendar ?? DEFAULT_CALENDAR;
  const clock = deskClock(input);
  const date = tradingDateOf(clock, 'SH');
  const market = marketStateAt(indexSessionOf(date, input.markets, calendar), clock);
  let state: DeskState = market;
  let reason: string | null = null;
  if (market === 'continuous') {
    const feedAge = input.feedArrivedAt === null ? null : input.now - input.feedArrivedAt;
    const indexAge = input.latest === null ? null : input.now - input.latest.arrivedAt;
    if (feedAge === null || feedAge > input.staleAfterMs) {
      state = 'stale';
      reason = feedAge === null ? 'no level received yet' : `no level from the feed for ${seconds(feedAge)}`;
    } else if (indexAge === null || indexAge > input.staleAfterMs) {
      state = 'halted';
      reason = `no level of this index for ${indexAge === null ? 'the whole day' : seconds(indexAge)} while the feed runs`;
    }
  }
  const [badge, label] = LABELS[state];
  return { state, market, badge, label, date, clock, reason };
}

function seconds(ms: number): string {
  return `${Math.floor(ms / 1000)} s`;
}
