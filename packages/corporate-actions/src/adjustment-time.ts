import { shanghaiMidnight } from '@indexflow/dataset-files';
import { addDays, localInstant, parseTimeOfDay } from '@indexflow/market-calendar';

/** Actions of an ex-date take effect at 00:00 Asia/Shanghai, as in the offline replay's actions.csv. */
export function adjustmentEventTime(exDate: string): number {
  const time = shanghaiMidnight(exDate);
  if (time === null) throw new RangeError(`exDate ${JSON.stringify(exDate)} is not a YYYY-MM-DD date`);
  return time;
}

/**
 * When the adjustment of `exDate` is published in scheduled mode: `publishAt` (`HH:MM`, exchange
 * local time, see the market calendar) on the calendar day before the ex-date.
 */
export function publicationInstant(exDate: string, publishAt: string): number {
  adjustmentEventTime(exDate);
  const msOfDay = parseTimeOfDay(publishAt);
  if (msOfDay === null) throw new RangeError(`publishAt ${JSON.stringify(publishAt)} is not HH:MM`);
  return localInstant(addDays(exDate, -1), msOfDay, 'SH');
}

/** The Asia/Shanghai calendar date of an instant (the register's "today"). */
export { shanghaiDate } from '@indexflow/dataset-files';
