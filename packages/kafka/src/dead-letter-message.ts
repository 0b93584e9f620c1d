import { createHash } from 'node:crypto';
import type { RejectedRecord } from '@indexflow/pipeline';
import type { Message } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from './topics.js';

/**
 * Dead-letter header with the rejection's human-readable detail ("price was -1.00"). This and the
 * two below are in the schemas/README.md header table too; they are kept out of
 * DEAD_LETTER_HEADERS, which other services' dead letters share, to keep that object unchanged.
 */
export const DEAD_LETTER_DETAIL_HEADER = 'indexflow-reject-detail';
/** Byte length of the original value (absent for a null value). */
export const DEAD_LETTER_LENGTH_HEADER = 'indexflow-original-length';
/** Hex SHA-256 of the original value (absent for a null value): identifies it once it is cut. */
export const DEAD_LETTER_SHA256_HEADER = 'indexflow-original-sha256';

/**
 * Bounds of one dead letter. A dead letter must always fit the broker's message size, whatever
 * the record it reports: an oversized one would abort the transaction, the service would exit
 * and read the same record again after its restart, forever.
 */
export const DEAD_LETTER_BOUNDS = {
  /** Bytes of the original value kept (a prefix); the length and hash headers describe the rest. */
  valueBytes: 1024,
  /** Bytes of the original key kept. */
  keyBytes: 256,
  /** Characters of the detail header. */
  detailChars: 200,
  /** Characters of the reason header. */
  reasonChars: 64,
} as const;

/** Cuts `text` to at most `max` characters, marking the cut. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function prefix(bytes: Buffer | null, max: number): Buffer | null {
  return bytes === null || bytes.length <= max ? bytes : bytes.subarray(0, max);
}

/**
 * Returns the dead-letter message of a rejected record: the original key and value (each cut to a
 * bounded prefix), provenance, reason and detail in headers, and the original value's length and
 * SHA-256 so a cut value can still be matched with its source record.
 */
export function deadLetterMessage(record: RejectedRecord): Message {
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.rejectReason]: cutText(record.reason, DEAD_LETTER_BOUNDS.reasonChars),
    [DEAD_LETTER_HEADERS.sourceTopic]: record.topic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(record.partition),
    [DEAD_LETTER_HEADERS.sourceOffset]: record.offset,
    [DEAD_LETTER_DETAIL_HEADER]: cutText(record.detail, DEAD_LETTER_BOUNDS.detailChars),
  };
  if (record.value !== null) {
    headers[DEAD_LETTER_LENGTH_HEADER] = String(record.value.length);
    headers[DEAD_LETTER_SHA256_HEADER] = createHash('sha256').update(record.value).digest('hex');
  }
  return {
    key: prefix(record.key, DEAD_LETTER_BOUNDS.keyBytes),
    value: prefix(record.value, DEAD_LETTER_BOUNDS.valueBytes),
    headers,
  };
}
