import { SimulationInputError } from './simulation-input-error.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export interface TradingCalendarOptions {
  /** Weekday closures per market (YYYY-MM-DD); weekends are always closed. */
  readonly holidays?: { readonly ashare?: readonly string[]; readonly hk?: readonly string[] };
  /** HKEX half days (no afternoon session). */
  readonly hkHalfDays?: readonly string[];
}

export interface TradingDay {
  readonly date: string;
  readonly ashareOpen: boolean;
  readonly hkOpen: boolean;
  readonly hkHalfDay: boolean;
}

/** Returns epoch ms of 00:00 UTC of a YYYY-MM-DD date, or throws for an invalid date. */
export function utcMidnight(date: string, field = 'date'): number {
  const ms = DATE.test(date)
    ? Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))
    : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new SimulationInputError(field, date, 'a calendar date YYYY-MM-DD');
  }
  return ms;
}

/** Returns the date `days` calendar days after `date`. */
export function addCalendarDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** True for Monday to Friday. */
export function isWeekday(date: string): boolean {
  const weekday = new Date(utcMidnight(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Returns `count` consecutive trading days from `startDate` on: weekdays on which at least one of
 * the two markets is open. Mainland make-up weekends are not trading days, so none are produced.
 */
export function tradingDays(
  startDate: string,
  count: number,
  options: TradingCalendarOptions = {},
): TradingDay[] {
  if (!Number.isInteger(count) || count < 1)
    throw new SimulationInputError('days', count, 'a positive integer');
  utcMidnight(startDate, 'startDate');
  const ashareClosed = new Set(options.holidays?.ashare ?? []);
  const hkClosed = new Set(options.holidays?.hk ?? []);
  const halfDays = new Set(options.hkHalfDays ?? []);
  const days: TradingDay[] = [];
  // Both markets closed for more than a few weeks means the holiday list is wrong.
  for (let date = startDate, idle = 0; days.length < count; date = addCalendarDays(date, 1)) {
    const weekday = isWeekday(date);
    const ashareOpen = weekday && !ashareClosed.has(date);
    const hkOpen = weekday && !hkClosed.has(date);
    if (ashareOpen || hkOpen) {
      days.push({ date, ashareOpen, hkOpen, hkHalfDay: hkOpen && halfDays.has(date) });
      idle = 0;
    } else if (++idle > 60) {
      throw new SimulationInputError('holidays', date, 'fewer than 60 consecutive closed days');
    }
  }
  return days;
}
