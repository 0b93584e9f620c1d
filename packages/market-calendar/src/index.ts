// The one home of exchange time: time zones, sessions and auctions, lunch breaks, holidays, half
// days and trading-date arithmetic for SSE/SZSE and HKEX. Pure: no IO, no clock.

export { CalendarFileError, CalendarQueryError } from './calendar-file-error.js';
export type {
  CalendarYear,
  CalendarYearSpec,
  SessionSegmentSpec,
  VenueYear,
  VenueYearSpec,
} from './calendar-year.js';
export { addDays, civilFromDays, daysFromCivil, isCalendarDate, isWeekend, weekdayOf } from './civil-date.js';
export {
  BUNDLED_CALENDAR_YEARS,
  BUNDLED_YEARS,
  closeInstant,
  DEFAULT_CALENDAR,
  isHalfDay,
  isTradingDay,
  nextTradingDay,
  phaseAt,
  previousTradingDay,
  sessionOf,
  tradingDateOf,
} from './default-calendar.js';
export type { LocalDay } from './local-time.js';
export {
  formatLocalDateTime,
  formatLocalIso,
  formatLocalTimestamp,
  formatTimeOfDay,
  localDateOf,
  localDayOf,
  localInstant,
  localMidnight,
  msOfLocalDay,
  parseLocalDateTime,
  parseTimeOfDay,
  timeOfDayMs,
} from './local-time.js';
export type { Market, Venue, VenueTimeZone } from './market.js';
export {
  isMarket,
  isVenue,
  MARKETS,
  marketOfSymbol,
  timeZoneOf,
  VENUE_TIME_ZONES,
  VENUES,
  venueOf,
} from './market.js';
export type { SessionInterval, TradingSession } from './market-calendar.js';
export { MarketCalendar } from './market-calendar.js';
export type { MarketPhase, SessionPhase, TradingPhase } from './phases.js';
export { isSessionPhase, SESSION_PHASES, TRADING_PHASES } from './phases.js';
export type { SessionSegment } from './session-tables.js';
export { ASHARE_FULL_DAY, HK_FULL_DAY, HK_HALF_DAY } from './session-tables.js';
export { parseCalendarFile, validateCalendarYear } from './validate-calendar-year.js';
