// The trading day of one index, as its dashboard draws it: the sessions of the venues its
// constituents trade on (market calendar), merged. The chart's x-axis runs from the first venue's
// open to the last venue's close; a gap is a stretch in which no venue of the index can move
// prices (a lunch break of every venue at once). Pure: the calendar is the only source of time.
import {
  DEFAULT_CALENDAR,
  localDayOf,
  type Market,
  type MarketCalendar,
  marketOfSymbol,
  type TradingSession,
  type Venue,
  venueOf,
} from '@indexflow/market-calendar';

/** A stretch of time [start, end) in epoch milliseconds. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface IndexSession {
  /** The trading date (Asia/Shanghai and Asia/Hong_Kong share it: both UTC+8). */
  readonly date: string;
  /** The local day [00:00, 24:00) of `date`: a level at or after `day.end` belongs to the next session. */
  readonly day: Span;
  /** Venues with a session on `date`, in calendar order. */
  readonly venues: readonly Venue[];
  /** True when a venue of the index trades its half-day session (HKEX eves). */
  readonly halfDay: boolean;
  readonly open: number;
  /** Where the last venue's official close is taken. */
  readonly close: number;
  /** Where the index can move: the venues' sessions without their lunch breaks, merged. */
  readonly trading: readonly Span[];
  /** Between trading spans: no line is drawn across them. */
  readonly gaps: readonly Span[];
  /** Each venue's session, phases as instants (`MarketCalendar.sessionOf`). */
  readonly sessions: readonly TradingSession[];
}

/** The distinct markets of constituent symbols; a symbol without a known suffix is ignored. */
export function marketsOfSymbols(symbols: Iterable<string>): Market[] {
  const markets = new Set<Market>();
  for (const symbol of symbols) {
    const market = marketOfSymbol(symbol);
    if (market !== null) markets.add(market);
  }
  return [...markets].sort();
}

/**
 * A venue's session without its lunch breaks. A BREAK after continuous trading is a lunch; the
 * A-share 09:25–09:30 pause after the opening auction is not: the auction's prices stand and the
 * chart keeps its line.
 */
function activeSpans(session: TradingSession): Span[] {
  const spans: Span[] = [];
  let start = session.open;
  session.phases.forEach((phase, i) => {
    if (phase.phase !== 'BREAK' || session.phases[i - 1]?.phase !== 'CONTINUOUS') return;
    spans.push({ start, end: phase.start });
    start = phase.end;
  });
  spans.push({ start, end: session.close });
  return spans;
}

/** Overlapping or touching spans joined, in time order. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && span.start <= last.end) {
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    } else merged.push(span);
  }
  return merged;
}

/** The index's session on `date`, or null when none of its venues trades that day. */
export function indexSessionOf(
  date: string,
  markets: readonly Market[],
  calendar: MarketCalendar = DEFAULT_CALENDAR,
): IndexSession | null {
  const venues = [...new Set(markets.map(venueOf))].sort();
  const sessions = venues
    .map((venue) => calendar.sessionOf(date, venue))
    .filter((session): session is TradingSession => session !== null);
  if (sessions.length === 0) return null;
  const trading = mergeSpans(sessions.flatMap(activeSpans));
  const gaps = trading.slice(1).map((span, i) => ({ start: trading[i]!.end, end: span.start }));
  const local = localDayOf(trading[0]!.start, sessions[0]!.venue);
  return {
    date,
    day: { start: local.start, end: local.end },
    venues: sessions.map((s) => s.venue),
    halfDay: sessions.some((s) => s.halfDay),
    open: trading[0]!.start,
    close: trading.at(-1)!.end,
    trading,
    gaps,
    sessions,
  };
}
