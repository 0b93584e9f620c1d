// Reads the index-level topic for the gateway: read_committed (only levels of committed calculator
// transactions), every partition (every gateway instance needs all of them), starting from the
// first level of today (Asia/Shanghai, by the records' Kafka timestamps, which the calculator's
// producer sets at publish time) or from the topic's start. Nothing is committed: the history is
// rebuilt from the topic on every start. "Caught up" is reached once every partition has been
// read up to its high watermark as it was at start. Either Kafka client reads (KAFKA_CLIENT).

import type { AvroSerdes, IndexLevelRecord, RecordBatch, RecordReader } from '@indexflow/kafka';
import { localDayOf } from '@indexflow/market-calendar';
import type { Logger } from '@indexflow/observability';

export interface LevelConsumerOptions {
  /** The reader of the chosen client; the level consumer closes it. */
  readonly reader: RecordReader;
  readonly topic: string;
  readonly serdes: AvroSerdes<IndexLevelRecord>;
  readonly from: 'today' | 'beginning';
  readonly logger: Logger;
  readonly onRecord: (record: IndexLevelRecord) => void;
  readonly onUndecodable?: (error: unknown) => void;
  readonly now?: () => number;
}

export interface LevelConsumer {
  /** True once every partition has been read to its high watermark of the start. */
  readonly caughtUp: boolean;
  /** Resolves when `caughtUp` becomes true. */
  readonly whenCaughtUp: Promise<void>;
  close(): Promise<void>;
}

async function startOffsets(options: LevelConsumerOptions) {
  const { reader, topic } = options;
  const bounds = await reader.partitionOffsets(topic);
  const highs = new Map(bounds.map((b) => [b.partition, b.high]));
  const starts =
    options.from === 'beginning'
      ? bounds.map(({ partition, low }) => ({ partition, offset: low }))
      : await reader.offsetsForTime(topic, localDayOf((options.now ?? Date.now)(), 'SH').start);
  return { highs, starts };
}

export async function startLevelConsumer(options: LevelConsumerOptions): Promise<LevelConsumer> {
  try {
    return await start(options);
  } catch (error) {
    await options.reader.close().catch(() => {});
    throw error;
  }
}

async function start(options: LevelConsumerOptions): Promise<LevelConsumer> {
  const { reader, topic, logger } = options;
  const { highs, starts } = await startOffsets(options);
  const pending = new Set<number>();
  for (const { partition, offset } of starts)
    if (offset < (highs.get(partition) ?? 0n)) pending.add(partition);
  let caughtUp = pending.size === 0;
  let resolveCaughtUp: () => void = () => {};
  const whenCaughtUp = new Promise<void>((resolve) => {
    resolveCaughtUp = resolve;
  });
  if (caughtUp) resolveCaughtUp();
  logger.info(
    {
      topic,
      from: options.from,
      starts: starts.map((s) => ({ partition: s.partition, offset: String(s.offset) })),
    },
    'level consumer starting',
  );

  const onBatch = async (batch: RecordBatch) => {
    for (const message of batch.records) {
      if (message.value === null) continue;
      let record: IndexLevelRecord;
      try {
        record = await options.serdes.deserialize(message.value);
      } catch (error) {
        logger.warn(
          { err: error, partition: batch.partition, offset: message.offset },
          'undecodable level skipped',
        );
        options.onUndecodable?.(error);
        continue;
      }
      options.onRecord(record);
    }
    if (!caughtUp && batch.nextOffset >= (highs.get(batch.partition) ?? 0n)) {
      pending.delete(batch.partition);
      if (pending.size === 0) {
        caughtUp = true;
        logger.info({ topic }, 'level consumer caught up');
        resolveCaughtUp();
      }
    }
  };
  await reader.readFrom(
    starts.map(({ partition, offset }) => ({ topic, partition, offset })),
    onBatch,
  );

  return {
    get caughtUp() {
      return caughtUp;
    },
    whenCaughtUp,
    close: () => reader.close(),
  };
}
