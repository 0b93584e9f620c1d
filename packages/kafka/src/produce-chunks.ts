import type { Message, TopicMessages } from 'kafkajs';

/**
 * Bytes of keys, values and headers per produce request. kafkajs sends each partition's share of one
 * sendBatch as one record batch, and the broker refuses a batch over message.max.bytes (1 MiB by
 * default) with MESSAGE_TOO_LARGE, so a large transaction (a drain, a burst of FX-triggered
 * levels) is sent in several requests, all inside the same transaction, and so is a large
 * fast-lane send.
 */
const MAX_REQUEST_PAYLOAD_BYTES = 512 * 1024;

/** Splits a transaction's messages into sendBatch calls of at most MAX_REQUEST_PAYLOAD_BYTES each. */
export function chunkTopicMessages(
  topicMessages: readonly TopicMessages[],
  maxBytes = MAX_REQUEST_PAYLOAD_BYTES,
): TopicMessages[][] {
  const chunks: TopicMessages[][] = [];
  let chunk: TopicMessages[] = [];
  let bytes = 0;
  for (const { topic, messages } of topicMessages) {
    let current: Message[] = [];
    for (const message of messages) {
      const size = sizeOf(message.key) + sizeOf(message.value) + headersSize(message.headers);
      if (bytes + size > maxBytes && bytes > 0) {
        if (current.length > 0) chunk.push({ topic, messages: current });
        chunks.push(chunk);
        chunk = [];
        current = [];
        bytes = 0;
      }
      current.push(message);
      bytes += size;
    }
    if (current.length > 0) chunk.push({ topic, messages: current });
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function sizeOf(data: Message['key']): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

// Dead letters carry five provenance headers, often larger than their value: a transaction of
// ~1,200 of them overflowed message.max.bytes while only keys and values were counted.
function headersSize(headers: Message['headers']): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(headers ?? {})) {
    bytes += Buffer.byteLength(name);
    for (const one of Array.isArray(value) ? value : [value]) bytes += sizeOf(one ?? null);
  }
  return bytes;
}
