// Reads the index-level topic for the gateway: read_committed (only levels of committed calculator
// transactions), in a consumer group of its own (every gateway instance needs every partition),
// starting from the first level of today (Asia/Shanghai, by the records' Kafka timestamps, which the
// calculator's producer sets at publish time) or from the topic's start. The group never commits
// offsets: the history is rebuilt from the topic on every start. "Caught up" is reached once every
// partition has been read up to its high watermark as it was at start.
import { randomBytes } from 'node:crypto';
import { tradingDayOf } from '@indexflow/index-engine';
import type { AvroSerdes, IndexLevelRecord } from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import type { Consumer, Kafka } from 'kafkajs';

export interface LevelConsumerOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly serdes: AvroSerdes<IndexLevelRecord>;
  readonly from: 'today' | 'beginning';
  readonly groupPrefix: string;
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

export async function startLevelConsumer(options: LevelConsumerOptions): Promise<LevelConsumer> {
  const { kafka, topic, logger } = options;
  const groupId = `${options.groupPrefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  let starts: { partition: number; offset: string }[];
  let highs: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    highs = new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    if (options.from === 'beginning') {
      starts = offsets.map((o) => ({ partition: o.partition, offset: o.low }));
    } else {
      const dayStart = tradingDayOf((options.now ?? Date.now)()).start;
      starts = await admin.fetchTopicOffsetsByTimestamp(topic, dayStart);
    }
    // A fresh group with no members: its offsets can be set before the consumer joins.
    await admin.setOffsets({ groupId, topic, partitions: starts });
  } finally {
    await admin.disconnect();
  }

  const pending = new Set<number>();
  for (const { partition, offset } of starts) {
    if (BigInt(offset) < (highs.get(partition) ?? 0n)) pending.add(partition);
  }
  let caughtUp = pending.size === 0;
  let resolveCaughtUp: () => void = () => {};
  const whenCaughtUp = new Promise<void>((resolve) => {
    resolveCaughtUp = resolve;
  });
  if (caughtUp) resolveCaughtUp();
  logger.info({ topic, groupId, from: options.from, starts }, 'level consumer starting');

  const consumer: Consumer = kafka.consumer({ groupId, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, heartbeat }) => {
      for (const message of batch.messages) {
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
      // lastOffset() counts transaction markers and aborted records too, so it reaches high − 1.
      if (!caughtUp && BigInt(batch.lastOffset()) + 1n >= (highs.get(batch.partition) ?? 0n)) {
        pending.delete(batch.partition);
        if (pending.size === 0) {
          caughtUp = true;
          logger.info({ topic }, 'level consumer caught up');
          resolveCaughtUp();
        }
      }
      await heartbeat();
    },
  });

  return {
    get caughtUp() {
      return caughtUp;
    },
    whenCaughtUp,
    async close() {
      await consumer.disconnect();
      const cleanup = kafka.admin();
      try {
        await cleanup.connect();
        await cleanup.deleteGroups([groupId]);
      } catch (error) {
        logger.debug({ err: error, groupId }, 'could not delete the consumer group');
      } finally {
        await cleanup.disconnect();
      }
    },
  };
}
