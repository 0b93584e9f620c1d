import { publicationInstant } from '@indexflow/corporate-actions';
import {
  type AvroSerdes,
  type IndexAdjustmentRecord,
  type RecordReader,
  readWatermark,
} from '@indexflow/kafka';

/**
 * The ex-dates whose adjustment the corporate-actions service publishes now rather than later:
 * those whose publication time (`publishAt`, HH:MM Asia/Shanghai, on the day before) has passed.
 */
export function datesDueNow(dates: Iterable<string>, publishAt: string, now: number): string[] {
  return [...new Set(dates)].filter((date) => publicationInstant(date, publishAt) <= now).sort();
}

export class AdjustmentsNotPublishedError extends Error {
  constructor(
    readonly missing: readonly string[],
    readonly waitedMs: number,
  ) {
    super(
      `no adjustment for ${missing.slice(0, 20).join(', ')} appeared on the index-adjustments topic within ${waitedMs} ms: ` +
        'is the corporate-actions service running (pnpm corporate-actions) with the same TOPIC_PREFIX? ' +
        'The announcements are registered; it publishes them when it runs. Use --no-wait to skip this check.',
    );
    this.name = 'AdjustmentsNotPublishedError';
  }
}

/**
 * Waits until the index-adjustments topic holds an adjustment for every date in `dates`, so
 * that data produced after the import (a replay of history) cannot overtake the adjustment the
 * service is about to publish: the calculator would then refuse it as `late`.
 */
export async function awaitAdjustments(deps: {
  /** A reader of either client (KAFKA_CLIENT); the wait closes it. */
  readonly reader: RecordReader;
  readonly topic: string;
  readonly serdes: AvroSerdes<IndexAdjustmentRecord>;
  readonly dates: readonly string[];
  readonly timeoutMs: number;
}): Promise<void> {
  const { reader, topic } = deps;
  const missing = new Set(deps.dates);
  try {
    if (missing.size === 0) return;
    let done: () => void = () => {};
    const published = new Promise<void>((resolve) => {
      done = resolve;
    });
    const starts = (await reader.partitionOffsets(topic)).map(({ partition, low }) => ({
      topic,
      partition,
      offset: low,
    }));
    await reader.readFrom(starts, async (batch) => {
      for (const message of batch.records) {
        if (message.value === null || readWatermark(message.headers).kind !== 'none') continue;
        const record = await deps.serdes.deserialize(message.value);
        missing.delete(record.effectiveDate);
      }
      if (missing.size === 0) done();
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), deps.timeoutMs);
    });
    const outcome = await Promise.race([published, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') throw new AdjustmentsNotPublishedError([...missing].sort(), deps.timeoutMs);
  } finally {
    await reader.close();
  }
}
