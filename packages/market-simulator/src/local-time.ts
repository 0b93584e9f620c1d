import { formatLocalTimestamp as formatLocal, localInstant } from '@indexflow/market-calendar';
import { utcMidnight } from './trading-calendar.js';

/** Epoch ms of `msOfDay` after local midnight (the market calendar's exchange time) of a YYYY-MM-DD date. */
export function localEpochMs(date: string, msOfDay: number): number {
  utcMidnight(date);
  return localInstant(date, msOfDay, 'ashare');
}

/** Formats a local time as ISO-8601 with milliseconds and the exchange's offset. */
export function formatLocalTimestamp(date: string, msOfDay: number): string {
  return formatLocal(date, msOfDay, 'ashare', { millis: true });
}
