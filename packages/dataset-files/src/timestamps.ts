import { isCalendarDate, localDateOf, localMidnight } from '@indexflow/market-calendar';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EPOCH_MS = /^\d{1,15}$/;

/**
 * The plausibility window of every dataset time: [1990-01-01, 2100-01-01) UTC. A year-9999 tick
 * would otherwise be accepted and push every later row out of order; a year-0 one would be
 * accepted in front of all of them.
 */
export const EARLIEST_TIME = Date.UTC(1990, 0, 1);
export const LATEST_TIME = Date.UTC(2100, 0, 1);
export const TIME_WINDOW = '[1990-01-01, 2100-01-01) UTC';

export function isPlausibleTime(ms: number): boolean {
  return ms >= EARLIEST_TIME && ms < LATEST_TIME;
}

/**
 * Parses `ts`: ISO-8601 with an explicit offset, or epoch milliseconds, within TIME_WINDOW.
 * Null if malformed, ambiguous or implausible.
 */
export function parseTimestamp(text: string): number | null {
  const t = text.trim();
  if (t.length > 40) return null;
  const ms = EPOCH_MS.test(t) ? Number(t) : ISO_WITH_OFFSET.test(t) ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) || !isPlausibleTime(ms) ? null : ms;
}

/** Local midnight of a YYYY-MM-DD date at SSE (the market calendar's), in epoch ms; null if invalid or outside TIME_WINDOW. */
export function shanghaiMidnight(date: string): number | null {
  if (!isCalendarDate(date)) return null;
  const ms = localMidnight(date, 'SH');
  return isPlausibleTime(ms) ? ms : null;
}

/** The local calendar date of an instant at SSE (Asia/Shanghai). */
export function shanghaiDate(epochMs: number): string {
  return localDateOf(epochMs, 'SH');
}

/** ISO-8601 UTC with milliseconds, the replay output's `ts`. */
export function formatUtc(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
