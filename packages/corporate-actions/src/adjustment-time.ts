import { shanghaiMidnight } from '@indexflow/dataset-files';

/** Actions of an ex-date take effect at 00:00 Asia/Shanghai, as in the offline replay's actions.csv. */
export function adjustmentEventTime(exDate: string): number {
  const time = shanghaiMidnight(exDate);
  if (time === null) throw new RangeError(`exDate ${JSON.stringify(exDate)} is not a YYYY-MM-DD date`);
  return time;
}

/** The Asia/Shanghai calendar date of an instant (the register's "today"). */
export { shanghaiDate } from '@indexflow/dataset-files';
