import type { RedisCloseHistory } from '@indexflow/close-history';
import {
  createAvroSerdes,
  type createSchemaRegistryClient,
  type IndexCloseRecord,
  requireCloseRecord,
} from '@indexflow/kafka';
import type { Kafka } from 'kafkajs';

export interface CloseHistoryConsumerDeps {
  readonly kafka: Kafka;
  readonly registry: ReturnType<typeof createSchemaRegistryClient>;
  /** The (prefixed) index-closes topic. */
  readonly topic: string;
  readonly groupId: string;
  readonly history: RedisCloseHistory;
  readonly onStored?: (close: IndexCloseRecord) => void;
}

export interface CloseHistoryConsumer {
  /** Closes stored since the start. */
  readonly stored: () => number;
  stop(): Promise<void>;
}

/**
 * Copies the compacted index-closes topic into the Redis close history. It reads committed
 * records only (a close becomes visible with its batch's levels), writes each before its offset
 * is committed, and a rewrite of the same (index, date) replaces it, so a redelivery after a
 * crash changes nothing: at least once into an idempotent store.
 */
export async function startCloseHistoryConsumer(
  deps: CloseHistoryConsumerDeps,
): Promise<CloseHistoryConsumer> {
  const serdes = createAvroSerdes<IndexCloseRecord>(deps.registry, deps.topic);
  const consumer = deps.kafka.consumer({ groupId: deps.groupId, readUncommitted: false });
  let stored = 0;
  await consumer.connect();
  await consumer.subscribe({ topic: deps.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      // A tombstone deletes nothing from the history: the register of closes is append-only.
      if (message.value === null) return;
      const close = requireCloseRecord(await serdes.deserialize(message.value));
      await deps.history.put(close);
      stored += 1;
      deps.onStored?.(close);
    },
  });
  return {
    stored: () => stored,
    stop: () => consumer.disconnect(),
  };
}
