import type { IHeaders, Message, TopicMessages } from 'kafkajs';

/**
 * Bytes of records per produce request. kafkajs sends each partition's share of one sendBatch as
 * one record batch, and the broker refuses a batch over message.max.bytes (1 MiB by default) with
 * MESSAGE_TOO_LARGE, so a large transaction (a drain, a burst of FX-triggered levels) is sent in
 * several requests, all inside the same transaction, and so is a large fast-lane send.
 */
const MAX_REQUEST_PAYLOAD_BYTES = 512 * 1024;

/**
 * Bytes a record costs in a batch beyond its key, value and header bytes: attributes, varint
 * lengths, offset and timestamp deltas (at most ~20), plus slack. Counted so that many tiny
 * records (dead letters with cut values) cannot add up past the budget unseen.
 */
export const RECORD_OVERHEAD_BYTES = 32;
/** Per header: its two varint lengths. */
const HEADER_OVERHEAD_BYTES = 4;

/** Splits a transaction's messages into sendBatch calls of at most `maxBytes` of records each. */
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
      const size = messageBytes(message);
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

/** What one message costs in a record batch: key, value, headers and the record's framing. */
export function messageBytes(message: Message): number {
  return RECORD_OVERHEAD_BYTES + sizeOf(message.key) + sizeOf(message.value) + headersBytes(message.headers);
}

function headersBytes(headers: IHeaders | undefined): number {
  if (headers === undefined) return 0;
  let bytes = 0;
  for (const [name, value] of Object.entries(headers)) {
    bytes += HEADER_OVERHEAD_BYTES + Buffer.byteLength(name);
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) bytes += sizeOf(v);
  }
  return bytes;
}

function sizeOf(data: Buffer | string | null | undefined): number {
  if (data === null || data === undefined) return 0;
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}
