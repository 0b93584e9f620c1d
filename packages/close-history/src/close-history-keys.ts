// Where the official-close history lives in Redis. Each index's keys share the hash tag
// `{close:<indexId>}`, so on Redis Cluster one index's hash and sorted set sit in one slot and
// are written in one MULTI; different indices spread over the cluster.
//
//   <prefix>:{close:<indexId>}:closes   hash   <tradingDate> → IndexClose record as JSON (decimal strings)
//   <prefix>:{close:<indexId>}:dates    zset   <tradingDate>, score YYYYMMDD (range queries by date)
//   <prefix>:close-indices              set    index ids that have a history
import { CloseHistoryKeyError } from './close-history-errors.js';

export const DEFAULT_CLOSE_HISTORY_PREFIX = 'indexflow';

export interface CloseHistoryKeys {
  readonly indices: string;
  closes(indexId: string): string;
  dates(indexId: string): string;
}

export function closeHistoryKeys(prefix: string = DEFAULT_CLOSE_HISTORY_PREFIX): CloseHistoryKeys {
  if (prefix.includes('{') || prefix.includes('}')) {
    throw new CloseHistoryKeyError({ part: 'prefix', value: prefix });
  }
  const tag = (indexId: string) => {
    // A brace in the id would end the hash tag early and split one index's keys across slots.
    if (indexId === '' || indexId.includes('{') || indexId.includes('}'))
      throw new CloseHistoryKeyError({ part: 'index id', value: indexId });
    return `${prefix}:{close:${indexId}}`;
  };
  return {
    indices: `${prefix}:close-indices`,
    closes: (indexId) => `${tag(indexId)}:closes`,
    dates: (indexId) => `${tag(indexId)}:dates`,
  };
}

/** The sorted-set score of a trading date: YYYYMMDD as a number, so date order is score order. */
export function dateScore(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new CloseHistoryKeyError({ part: 'date', value: date });
  return Number(date.replaceAll('-', ''));
}
