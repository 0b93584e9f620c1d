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
 * the calendar takes every weekday as a regular session without holidays (as the live calculator
 * does), so an HKEX half day of such a year would close at 16:10: the replay warns once per venue
 * and year, naming the year and how to add it, and goes on, so that it still equals a live run.
 */
export class CalendarCoverage {
  readonly #calendar: MarketCalendar;
  /** Per venue, the last local day found covered (one lookup per day, not per tick). */
  readonly #covered = new Map<Venue, { readonly start: number; readonly end: number }>();
  /** Venue and year already reported: one warning each. */
  readonly #reported = new Set<string>();

  constructor(calendar: MarketCalendar) {
    this.#calendar = calendar;
  }

  /**
   * Why the calendar cannot place this event's date, the first time for its venue and year; null
   * when covered, not a tick, or already reported.
   */
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
    if (this.#reported.has(`${venue} ${year}`)) return null;
    this.#reported.add(`${venue} ${year}`);
    const years = this.#calendar.yearsOf(venue);
    return (
      `${event.symbol} on ${day.date}: the market calendar has no ${year} for ${VENUE_NAMES[venue]} ` +
      `(it has ${years.length === 0 ? 'none' : years.join(', ')}), so its weekdays are regular sessions ` +
      `with no holiday or half day; give a calendar file for ${year} ` +
      '(--calendar <file>, or MARKET_CALENDAR_FILES; see docs/closes-and-eod.md)'
    );
  }
}
