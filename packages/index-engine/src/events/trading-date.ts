import { type LocalDay, localDayOf } from '@indexflow/market-calendar';

/**
 * The trading date of an event time, and that day's bounds in epoch ms: the engine dates every
 * event by its Asia/Shanghai calendar date (the market calendar's local day of SSE).
 */
export function tradingDayOf(eventTime: number): LocalDay {
  return localDayOf(eventTime, 'SH');
}
