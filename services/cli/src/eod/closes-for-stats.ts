import type { CloseRange } from '@indexflow/close-history';
import { Dec, type IndexCloses } from '@indexflow/index-analytics';
import type { IndexCloseRecord } from '@indexflow/kafka';

/** What `stats --index` needs of the close history (RedisCloseHistory has it). */
export interface CloseHistoryReader {
  range(indexId: string, range?: CloseRange): Promise<IndexCloseRecord[]>;
}

/** An index the close history cannot give a return series for; a usage error (exit 2). */
export class NoCloseHistoryError extends Error {
  override readonly name = 'NoCloseHistoryError';
  readonly retriable = false;
  readonly indexId: string;

  constructor(indexId: string, found: number, range: CloseRange) {
    const window =
      range.from === undefined && range.to === undefined
        ? ''
        : ` between ${range.from ?? 'the start'} and ${range.to ?? 'the end'}`;
    super(
      found === 0
        ? `index ${indexId} has no closes in the close history${window} (fill it with \`indexflow eod consume\` or \`indexflow backfill\`)`
        : `index ${indexId} has ${found} close in the close history${window}; at least 2 are needed for a return`,
    );
    this.indexId = indexId;
  }
}

/**
 * The official-close series of each index from the close history, in date order, levels kept
 * as the exact 24-dp strings the engine published. The history's dates are unique and
 * increasing by construction (one record per index and date, read by score).
 */
export async function closesFromHistory(
  history: CloseHistoryReader,
  indexIds: readonly string[],
  range: CloseRange,
): Promise<IndexCloses[]> {
  const series: IndexCloses[] = [];
  for (const indexId of indexIds) {
    const records = await history.range(indexId, range);
    if (records.length < 2) throw new NoCloseHistoryError(indexId, records.length, range);
    series.push({ indexId, closes: records.map((r) => ({ date: r.tradingDate, close: new Dec(r.level) })) });
  }
  return series;
}
