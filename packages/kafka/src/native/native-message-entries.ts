import type { MergeEntry } from '@indexflow/pipeline';
import { decodeRejectReason } from '../decode-rejection.js';
import { type Decoder, undecodable } from '../kafka-event-source.js';
import { readWatermark } from '../watermark-record.js';
import type { RdKafka } from './native-client.js';

/** Messages of one partition, in offset order, as one consume() call returned them. */
export interface PartitionMessages {
  readonly topic: string;
  readonly partition: number;
  readonly messages: RdKafka.Message[];
}

/** Splits a consume() result by partition, keeping each partition's offset order. */
export function byPartition(messages: readonly RdKafka.Message[]): PartitionMessages[] {
  const groups = new Map<string, PartitionMessages>();
  for (const message of messages) {
    const key = `${message.topic}:${message.partition}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { topic: message.topic, partition: message.partition, messages: [] };
      groups.set(key, group);
    }
    group.messages.push(message);
  }
  return [...groups.values()];
}

/** librdkafka's header list ([{ name: value }, ...]) as the record-header map kafkajs gives. */
function headerMap(
  headers: RdKafka.MessageHeader[] | undefined,
): Record<string, Buffer | string> | undefined {
  if (headers === undefined || headers.length === 0) return undefined;
  return Object.assign({}, ...headers);
}

function keyBytes(key: RdKafka.MessageKey): Buffer | null {
  if (key === undefined || key === null) return null;
  return typeof key === 'string' ? Buffer.from(key) : key;
}

/**
 * Decodes one partition's messages into merge entries with the kafkajs source's decoders, its
 * watermark records (`rank`: the partition's stream kind) and its undecodable rule. Throws what the decoder throws for a retriable registry failure (the
 * caller must not skip those records).
 */
export async function toMergeEntries(
  group: PartitionMessages,
  decode: Decoder | undefined,
  rank: number,
  receivedAt: number,
  isRetriable: (error: unknown) => boolean,
): Promise<MergeEntry[]> {
  const { topic, partition } = group;
  const source = `${topic}:${partition}`;
  const entries: MergeEntry[] = [];
  for (const message of group.messages) {
    const offset = String(message.offset);
    const record = { offset, key: keyBytes(message.key), value: message.value };
    const mark = readWatermark(headerMap(message.headers));
    if (mark.kind !== 'none') {
      entries.push(
        mark.kind === 'watermark'
          ? { offset: BigInt(offset), watermark: { ...mark.watermark, rank } }
          : { offset: BigInt(offset), rejected: undecodable(topic, partition, record, mark.detail) },
      );
      continue;
    }
    if (message.value === null || decode === undefined) {
      const detail = message.value === null ? 'value was null' : `topic ${topic} is not an input topic`;
      entries.push({ offset: BigInt(offset), rejected: undecodable(topic, partition, record, detail) });
      continue;
    }
    try {
      let event = decode(message.value, { source, offset: message.offset });
      if (event instanceof Promise) event = await event;
      entries.push({
        offset: BigInt(offset),
        event: { event, topic, partition, offset, key: record.key, value: message.value, receivedAt },
      });
    } catch (error) {
      if (isRetriable(error)) throw error;
      const detail = error instanceof Error ? error.message : String(error);
      entries.push({
        offset: BigInt(offset),
        rejected: undecodable(topic, partition, record, detail, decodeRejectReason(error)),
      });
    }
  }
  return entries;
}
