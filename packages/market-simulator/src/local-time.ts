import { utcMidnight } from './trading-calendar.js';

const UTC_OFFSET_MS = 8 * 3_600_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch ms of `msOfDay` after local midnight (UTC+8) of a YYYY-MM-DD date. */
export function localEpochMs(date: string, msOfDay: number): number {
  return utcMidnight(date) - UTC_OFFSET_MS + msOfDay;
}

/** Formats a local time as ISO-8601 with milliseconds and the +08:00 offset. */
export function formatLocalTimestamp(date: string, msOfDay: number): string {
  const seconds = Math.floor(msOfDay / 1000);
  return `${date}T${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.${pad(msOfDay % 1000, 3)}+08:00`;
}
