import type { RedisCloseHistory } from '@indexflow/close-history';
import {
  createAvroSerdes,
  type createSchemaRegistryClient,
  type IndexCloseRecord,
  type RecordReader,
  requireCloseRecord,
} from '@indexflow/kafka';

export interface CloseHistoryConsumerDeps {
  /** A reader of either client (KAFKA_CLIENT); stop() closes it. */
  readonly reader: RecordReader;
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
  let stored = 0;
  // A batch's offsets are committed only after its handler: a failed put is read again.
  await deps.reader.readInGroup(
    { groupId: deps.groupId, topics: [deps.topic], fromBeginning: true },
    async (batch) => {
      for (const message of batch.records) {
        // A tombstone deletes nothing from the history: the register of closes is append-only.
        if (message.value === null) continue;
        const close = requireCloseRecord(await serdes.deserialize(message.value));
        await deps.history.put(close);
        stored += 1;
        deps.onStored?.(close);
      }
    },
  );
  return {
    stored: () => stored,
    stop: () => deps.reader.close(),
  };
}
