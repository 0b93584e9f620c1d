import type { TopicMessages } from 'kafkajs';
import { type RdKafka, viaCallback } from './native-client.js';

const ERR_QUEUE_FULL = -184;

function headerList(
  headers: TopicMessages['messages'][number]['headers'],
): RdKafka.MessageHeader[] | undefined {
  if (headers === undefined) return undefined;
  return Object.entries(headers).flatMap(([key, value]) =>
    value === undefined ? [] : [{ [key]: Array.isArray(value) ? String(value[0]) : value }],
  ) as RdKafka.MessageHeader[];
}

function isQueueFull(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === ERR_QUEUE_FULL;
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
      const value =
        message.value === null
          ? null
          : Buffer.isBuffer(message.value)
            ? message.value
            : Buffer.from(message.value);
      const args = [
        topic,
        // An explicit partition (a watermark for each one); otherwise the key's partition.
        message.partition ?? null,
        value,
        message.key ?? null,
        null,
        opaque?.(topic),
        headerList(message.headers),
      ] as const;
      for (;;) {
        try {
          producer.produce(...args);
          break;
        } catch (error) {
          if (!isQueueFull(error)) throw error;
          await viaCallback('flush', topic, (done) => producer.flush(10_000, done));
        }
      }
      count++;
    }
  }
  return count;
}
