import { civilFromDays, daysFromCivil, MS_PER_DAY, mustDays } from './civil-date.js';
import { type Market, timeZoneOf, type Venue } from './market.js';

/** A local calendar day of a market and its bounds in epoch ms: [start, end). */
export interface LocalDay {
  readonly date: string;
  readonly start: number;
  readonly end: number;
}

const TIME_PATTERN = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar day (in the market's time zone) an instant falls on. */
export function localDayOf(instant: number, market: Market | Venue): LocalDay {
  const offset = timeZoneOf(market).utcOffsetMs;
  const days = Math.floor((instant + offset) / MS_PER_DAY);
  const start = days * MS_PER_DAY - offset;
  return { date: civilFromDays(days), start, end: start + MS_PER_DAY };
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDateOf(instant: number, market: Market | Venue): string {
  return localDayOf(instant, market).date;
}

/** Epoch ms of local midnight of a YYYY-MM-DD date (throws RangeError for an invalid date). */
export function localMidnight(date: string, market: Market | Venue): number {
  return mustDays(date) * MS_PER_DAY - timeZoneOf(market).utcOffsetMs;
}

/** Epoch ms of `msOfDay` after local midnight of `date`. */
export function localInstant(date: string, msOfDay: number, market: Market | Venue): number {
  return localMidnight(date, market) + msOfDay;
}

/** Milliseconds after local midnight of an instant. */
export function msOfLocalDay(instant: number, market: Market | Venue): number {
  return instant - localDayOf(instant, market).start;
}

/** Milliseconds after midnight of a wall time. */
export function timeOfDayMs(hours: number, minutes: number, seconds = 0): number {
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

/**
 * Milliseconds after midnight of `HH:MM` or `HH:MM:SS`, or null when the text is not a time of
 * day. 24:00 is refused: a time must fall inside its date.
 */
export function parseTimeOfDay(text: string): number | null {
  const match = TIME_PATTERN.exec(text);
  if (!match) return null;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  return timeOfDayMs(hours, minutes, seconds);
}

/** `HH:MM:SS`, or `HH:MM:SS.mmm` with `millis`, of milliseconds after midnight. */
export function formatTimeOfDay(msOfDay: number, options: { millis?: boolean } = {}): string {
  const seconds = Math.floor(msOfDay / 1000);
  const hms = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  return options.millis ? `${hms}.${pad(msOfDay % 1000, 3)}` : hms;
}

/**
 * ISO-8601 local time with the market's offset of `msOfDay` after midnight of `date`, e.g.
 * 2025-03-20T09:30:00+08:00 (or 09:30:00.000+08:00 with `millis`).
 */
export function formatLocalTimestamp(
  date: string,
  msOfDay: number,
  market: Market | Venue,
  options: { millis?: boolean } = {},
): string {
  return `${date}T${formatTimeOfDay(msOfDay, options)}${timeZoneOf(market).isoOffset}`;
}

/** An instant as ISO-8601 local time with the market's offset (see `formatLocalTimestamp`). */
export function formatLocalIso(instant: number, market: Market | Venue, options: { millis?: boolean } = {}) {
  const day = localDayOf(instant, market);
  return formatLocalTimestamp(day.date, instant - day.start, market, options);
}

/** An instant as a desk reads it: `YYYY-MM-DD HH:MM:SS` (`.mmm` with `millis`), local time. */
export function formatLocalDateTime(
  instant: number,
  market: Market | Venue,
  options: { millis?: boolean } = {},
): string {
  const day = localDayOf(instant, market);
  return `${day.date} ${formatTimeOfDay(instant - day.start, options)}`;
}

/**
 * Epoch ms of a local date and time `YYYY-MM-DD` + `HH:MM[:SS]` in the market's time zone, or
 * null when either part is malformed.
 */
export function parseLocalDateTime(date: string, time: string, market: Market | Venue): number | null {
  const ms = parseTimeOfDay(time);
  const days = daysFromCivil(date);
  if (ms === null || days === null) return null;
  return days * MS_PER_DAY - timeZoneOf(market).utcOffsetMs + ms;
}
