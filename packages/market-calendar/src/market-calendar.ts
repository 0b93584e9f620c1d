import { CalendarFileError, CalendarQueryError } from './calendar-file-error.js';
import type { CalendarYear, VenueYear } from './calendar-year.js';
import { addDays, daysFromCivil, isWeekend, yearOf } from './civil-date.js';
import { localDateOf, localDayOf, localInstant } from './local-time.js';
import { type Market, type Venue, venueOf } from './market.js';
import type { MarketPhase, SessionPhase } from './phases.js';
import { ASHARE_FULL_DAY, HK_FULL_DAY, type SessionSegment } from './session-tables.js';

/** One phase of a day's session as UTC instants, [start, end). */
export interface SessionInterval {
  readonly name: string;
  readonly phase: SessionPhase;
  readonly start: number;
  readonly end: number;
}

/** A trading day's session: its phases in order; `close` is where the official close is taken. */
export interface TradingSession {
  readonly date: string;
  readonly venue: Venue;
  readonly halfDay: boolean;
  readonly open: number;
  readonly close: number;
  readonly phases: readonly SessionInterval[];
}

const UNCOVERED_FULL_DAY: Record<Venue, readonly SessionSegment[]> = {
  ashare: ASHARE_FULL_DAY,
  hk: HK_FULL_DAY,
};
/** Longer than any closure on record (the longest is about ten weekdays around a Golden Week). */
const MAX_SEARCH_DAYS = 366;

/**
 * Trading days, sessions and phases of SSE/SZSE and HKEX, from validated calendar years. A date
 * of a year the calendar does not cover is taken as a weekday with the regular full-day session
 * and no holidays (`covers` tells which); weekends are never trading days.
 */
export class MarketCalendar {
  readonly #years = new Map<string, VenueYear>();
  readonly #source: readonly CalendarYear[];

  constructor(years: readonly CalendarYear[]) {
    this.#source = years;
    for (const year of years) {
      for (const [venue, data] of Object.entries(year.venues) as Array<[Venue, VenueYear]>) {
        const key = `${venue}:${year.year}`;
        if (this.#years.has(key))
          throw new CalendarFileError(
            `calendar ${year.year}`,
            `$.${venue}`,
            year.year,
            'this year is given twice',
          );
        this.#years.set(key, data);
      }
    }
  }

  /** A calendar with these years added (a user's file for a year not bundled). */
  withYears(years: readonly CalendarYear[]): MarketCalendar {
    return new MarketCalendar([...this.#source, ...years]);
  }

  /**
   * A calendar in which each venue's year in `years` replaces this calendar's own (a corrected
   * bundled year) or is added; the rest stays. `years` must not give one venue's year twice.
   */
  overriddenBy(years: readonly CalendarYear[]): MarketCalendar {
    const given = new Set(years.flatMap((y) => Object.keys(y.venues).map((venue) => `${venue}:${y.year}`)));
    const kept = this.#source
      .map((y) => ({
        year: y.year,
        venues: Object.fromEntries(
          Object.entries(y.venues).filter(([venue]) => !given.has(`${venue}:${y.year}`)),
        ),
      }))
      .filter((y) => Object.keys(y.venues).length > 0);
    return new MarketCalendar([...kept, ...years]);
  }

  /** The years covered, ascending. */
  get years(): number[] {
    return [...new Set(this.#source.map((y) => y.year))].sort((a, b) => a - b);
  }

  /** The years covered for one market's venue, ascending. */
  yearsOf(market: Market | Venue): number[] {
    const venue = venueOf(market);
    return this.#source
      .filter((y) => y.venues[venue] !== undefined)
      .map((y) => y.year)
      .sort((a, b) => a - b);
  }

  #year(date: string, market: Market | Venue): VenueYear | undefined {
    if (daysFromCivil(date) === null)
      throw new CalendarQueryError('date', date, 'must be a calendar date YYYY-MM-DD');
    return this.#years.get(`${venueOf(market)}:${yearOf(date)}`);
  }

  /** True when a calendar year for `date`'s year and market was given. */
  covers(date: string, market: Market | Venue): boolean {
    return this.#year(date, market) !== undefined;
  }

  isTradingDay(date: string, market: Market | Venue): boolean {
    const year = this.#year(date, market);
    return !isWeekend(date) && !(year?.holidays.has(date) ?? false);
  }

  /** True on a trading day with the half-day session (HKEX eves). */
  isHalfDay(date: string, market: Market | Venue): boolean {
    return this.isTradingDay(date, market) && (this.#year(date, market)?.halfDays.has(date) ?? false);
  }

  #step(date: string, market: Market | Venue, direction: 1 | -1): string {
    let day = date;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      day = addDays(day, direction);
      if (this.isTradingDay(day, market)) return day;
    }
    throw new CalendarQueryError('date', date, `no trading day of ${market} within ${MAX_SEARCH_DAYS} days`);
  }

  /** The first trading day after `date`. */
  nextTradingDay(date: string, market: Market | Venue): string {
    return this.#step(date, market, 1);
  }

  /** The last trading day before `date`. */
  previousTradingDay(date: string, market: Market | Venue): string {
    return this.#step(date, market, -1);
  }

  /** The trading days from `from` to `to`, both included. */
  tradingDaysBetween(from: string, to: string, market: Market | Venue): string[] {
    const days: string[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) if (this.isTradingDay(day, market)) days.push(day);
    return days;
  }

  /** The local date of an instant: the trading date an event at that instant belongs to. */
  tradingDateOf(instant: number, market: Market | Venue): string {
    return localDateOf(instant, market);
  }

  #segments(date: string, market: Market | Venue): readonly SessionSegment[] {
    const year = this.#year(date, market);
    const venue = venueOf(market);
    if (year === undefined) return UNCOVERED_FULL_DAY[venue];
    return year.halfDays.has(date) && year.halfDay !== null ? year.halfDay : year.fullDay;
  }

  /** The session of `date`, or null when it is not a trading day. */
  sessionOf(date: string, market: Market | Venue): TradingSession | null {
    if (!this.isTradingDay(date, market)) return null;
    const segments = this.#segments(date, market);
    const phases = segments.map((s) => ({
      name: s.name,
      phase: s.phase,
      start: localInstant(date, s.startMs, market),
      end: localInstant(date, s.endMs, market),
    }));
    return {
      date,
      venue: venueOf(market),
      halfDay: this.isHalfDay(date, market),
      open: phases[0]!.start,
      close: phases.at(-1)!.end,
      phases,
    };
  }

  /** Where the official close of `date` is taken (the end of its last phase); null if no session. */
  closeInstant(date: string, market: Market | Venue): number | null {
    return this.sessionOf(date, market)?.close ?? null;
  }

  /**
   * The close of the full-day session in force on `date`, whether or not the market trades then:
   * for streams that carry prints on a day the calendar has no session for.
   */
  fullDayCloseInstant(date: string, market: Market | Venue): number {
    const year = this.#year(date, market);
    const segments = year?.fullDay ?? UNCOVERED_FULL_DAY[venueOf(market)];
    return localInstant(date, segments.at(-1)!.endMs, market);
  }

  /** The market's phase at an instant; segment bounds are [start, end). */
  phaseAt(instant: number, market: Market | Venue): MarketPhase {
    const session = this.sessionOf(localDayOf(instant, market).date, market);
    if (session === null) return 'NON_TRADING_DAY';
    if (instant < session.open) return 'PRE_OPEN';
    if (instant >= session.close) return 'CLOSED';
    return session.phases.find((p) => instant >= p.start && instant < p.end)!.phase;
  }
}
