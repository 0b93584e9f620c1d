import type { TopicMessages } from 'kafkajs';
import type { ProducedRecord, RecordHeaders } from '../record-ports.js';
import { type RdKafka, viaCallback } from './native-client.js';

const ERR_QUEUE_FULL = -184;

type Headers = TopicMessages['messages'][number]['headers'] | RecordHeaders;

function headerList(headers: Headers): RdKafka.MessageHeader[] | undefined {
  if (headers === undefined) return undefined;
  return Object.entries(headers).flatMap(([key, value]) =>
    value === undefined ? [] : [{ [key]: Array.isArray(value) ? String(value[0]) : value }],
  ) as RdKafka.MessageHeader[];
}

function isQueueFull(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === ERR_QUEUE_FULL;
}

function asBuffer(value: string | Buffer | null): Buffer | null {
  return value === null || Buffer.isBuffer(value) ? value : Buffer.from(value);
}

type ProduceArgs = Parameters<RdKafka.Producer['produce']>;

/** Hands one message to librdkafka; when its local queue is full, waits for it to drain and retries. */
async function produceOne(producer: RdKafka.Producer, args: ProduceArgs): Promise<void> {
  for (;;) {
    try {
      producer.produce(...args);
      return;
    } catch (error) {
      if (!isQueueFull(error)) throw error;
      await viaCallback('flush', args[0], (done) => producer.flush(10_000, done));
    }
  }
}

/**
 * Hands every message to librdkafka, which batches them per partition itself (linger.ms,
 * batch.size, message.max.bytes), so there is no chunking here. When its local queue is full,
 * waits for it to drain (flush) and goes on.
 */
export async function produceAll(
  producer: RdKafka.Producer,
  topicMessages: readonly TopicMessages[],
  opaque?: (topic: string) => unknown,
): Promise<number> {
  let count = 0;
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const value = message.value === null ? null : asBuffer(message.value);
      await produceOne(producer, [
        topic,
        // An explicit partition (a watermark for each one); otherwise the key's partition.
        message.partition ?? null,
        value,
        message.key ?? null,
        null,
        opaque?.(topic),
        headerList(message.headers),
      ]);
      count++;
    }
  }
  return count;
}

/** produceAll for client-neutral records, which may name their partition. */
export async function produceRecords(
  producer: RdKafka.Producer,
  records: readonly ProducedRecord[],
  opaque?: unknown,
): Promise<void> {
  for (const { topic, partition, value, key, headers } of records)
    await produceOne(producer, [topic, partition ?? null, value, key, null, opaque, headerList(headers)]);
}
