import type { CalendarYearSpec } from './calendar-year.js';
import { CALENDAR_2025 } from './data/2025.js';
import { CALENDAR_2026 } from './data/2026.js';
import { MarketCalendar } from './market-calendar.js';
import { validateCalendarYear } from './validate-calendar-year.js';

/** The calendar years shipped with the package (market.md §6). */
export const BUNDLED_CALENDAR_YEARS: readonly CalendarYearSpec[] = [CALENDAR_2025, CALENDAR_2026];

/** The bundled years, checked by the same rules as a user's file. */
export const BUNDLED_YEARS = BUNDLED_CALENDAR_YEARS.map((spec) =>
  validateCalendarYear(spec, `bundled calendar ${spec.year}`),
);

/** The calendar every package uses unless given another: the bundled years. */
export const DEFAULT_CALENDAR = new MarketCalendar(BUNDLED_YEARS);

type Where = Parameters<MarketCalendar['isTradingDay']>[1];

/** `DEFAULT_CALENDAR.isTradingDay`. */
export const isTradingDay = (date: string, market: Where) => DEFAULT_CALENDAR.isTradingDay(date, market);
/** `DEFAULT_CALENDAR.isHalfDay`. */
export const isHalfDay = (date: string, market: Where) => DEFAULT_CALENDAR.isHalfDay(date, market);
/** `DEFAULT_CALENDAR.nextTradingDay`. */
export const nextTradingDay = (date: string, market: Where) => DEFAULT_CALENDAR.nextTradingDay(date, market);
/** `DEFAULT_CALENDAR.previousTradingDay`. */
export const previousTradingDay = (date: string, market: Where) =>
  DEFAULT_CALENDAR.previousTradingDay(date, market);
/** `DEFAULT_CALENDAR.sessionOf`. */
export const sessionOf = (date: string, market: Where) => DEFAULT_CALENDAR.sessionOf(date, market);
/** `DEFAULT_CALENDAR.closeInstant`. */
export const closeInstant = (date: string, market: Where) => DEFAULT_CALENDAR.closeInstant(date, market);
/** `DEFAULT_CALENDAR.phaseAt`. */
export const phaseAt = (instant: number, market: Where) => DEFAULT_CALENDAR.phaseAt(instant, market);
/** `DEFAULT_CALENDAR.tradingDateOf`. */
export const tradingDateOf = (instant: number, market: Where) =>
  DEFAULT_CALENDAR.tradingDateOf(instant, market);
