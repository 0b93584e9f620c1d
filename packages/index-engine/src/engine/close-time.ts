import {
  DEFAULT_CALENDAR,
  localInstant,
  type MarketCalendar,
  parseTimeOfDay,
  type Venue,
} from '@indexflow/market-calendar';

/**
 * Milliseconds after local (Asia/Shanghai) midnight of a close time `HH:MM` or `HH:MM:SS`, or
 * null when the text is not a time of day. 24:00 is refused: a close must fall inside its date.
 */
export function parseCloseTime(text: string): number | null {
  return parseTimeOfDay(text);
}

/** The venues whose sessions an index's close waits for: by the trading currencies it holds. */
export function closeVenues(hasCny: boolean, hasHkd: boolean): readonly Venue[] {
  if (!hasHkd) return ['ashare'];
  return hasCny ? ['ashare', 'hk'] : ['hk'];
}

/**
 * The instant of an index's official close on `date`: its explicit local close time, else the
 * calendar's close (after the closing auction, so at the half-day close on a half day) of the
 * last of its venues to close that day. Venues without a session that day are left out; when
 * none has one, events of that date still close at the venues' full-day close, as they would on
 * a trading day.
 */
export function closeInstantOf(
  date: string,
  explicitMs: number | null,
  venues: readonly Venue[],
  calendar: MarketCalendar = DEFAULT_CALENDAR,
): number {
  if (explicitMs !== null) return localInstant(date, explicitMs, 'ashare');
  let open = Number.NEGATIVE_INFINITY;
  let fullDay = Number.NEGATIVE_INFINITY;
  for (const venue of venues) {
    open = Math.max(open, calendar.closeInstant(date, venue) ?? Number.NEGATIVE_INFINITY);
    fullDay = Math.max(fullDay, calendar.fullDayCloseInstant(date, venue));
  }
  return open === Number.NEGATIVE_INFINITY ? fullDay : open;
}
