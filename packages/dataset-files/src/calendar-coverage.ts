import type { IndexEvent } from '@indexflow/index-engine';
import {
  localDayOf,
  type MarketCalendar,
  marketOfSymbol,
  type Venue,
  venueOf,
} from '@indexflow/market-calendar';

const VENUE_NAMES: Readonly<Record<Venue, string>> = { ashare: 'SSE/SZSE', hk: 'HKEX' };

/**
 * Whether the market calendar covers each tick's date at its venue. Outside the years it covers
 * the calendar takes every weekday as a regular session without holidays, so the default official
 * close of such a date would be taken at a time no calendar said (an HKEX half day closed at
 * 16:10): the offline replay refuses the dataset instead, naming the year and how to add it.
 */
export class CalendarCoverage {
  readonly #calendar: MarketCalendar;
  /** Per venue, the last local day found covered (one lookup per day, not per tick). */
  readonly #covered = new Map<Venue, { readonly start: number; readonly end: number }>();

  constructor(calendar: MarketCalendar) {
    this.#calendar = calendar;
  }

  /** Why the calendar cannot place this event's date, or null (covered, or not a tick). */
  problem(event: IndexEvent): string | null {
    if (event.kind !== 'tick') return null;
    const market = marketOfSymbol(event.symbol);
    if (market === null) return null;
    const venue = venueOf(market);
    const known = this.#covered.get(venue);
    if (known !== undefined && event.eventTime >= known.start && event.eventTime < known.end) return null;
    const day = localDayOf(event.eventTime, venue);
    if (this.#calendar.covers(day.date, venue)) {
      this.#covered.set(venue, day);
      return null;
    }
    const year = day.date.slice(0, 4);
    const years = this.#calendar.yearsOf(venue);
    return (
      `${event.symbol} on ${day.date}: the market calendar has no ${year} for ${VENUE_NAMES[venue]} ` +
      `(it has ${years.length === 0 ? 'none' : years.join(', ')}); give a calendar file for ${year} ` +
      '(--calendar <file>, or MARKET_CALENDAR_FILES; see docs/closes-and-eod.md)'
    );
  }
}
