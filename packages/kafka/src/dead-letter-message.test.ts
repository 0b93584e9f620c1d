import { createHash } from 'node:crypto';
import type { RejectedRecord } from '@indexflow/pipeline';
import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_BOUNDS,
  DEAD_LETTER_DETAIL_HEADER,
  DEAD_LETTER_LENGTH_HEADER,
  DEAD_LETTER_SHA256_HEADER,
  deadLetterMessage,
} from './dead-letter-message.js';
import { messageBytes } from './produce-chunks.js';
import { DEAD_LETTER_HEADERS } from './topics.js';

const rejected = (over: Partial<RejectedRecord>): RejectedRecord => ({
  topic: 'indexflow.ticks.ashare',
  partition: 3,
  offset: '42',
  key: Buffer.from('600519.SH'),
  value: Buffer.from([0, 0, 0, 0, 1, 2, 3]),
  reason: 'malformed_price',
  detail: 'price was "abc"',
  ...over,
});

describe('deadLetterMessage', () => {
  it('keeps a small record whole, with provenance, reason, detail, length and hash', () => {
    const record = rejected({});
    const message = deadLetterMessage(record);
    expect(message.key).toEqual(record.key);
    expect(message.value).toEqual(record.value);
    expect(message.headers).toEqual({
      [DEAD_LETTER_HEADERS.rejectReason]: 'malformed_price',
      [DEAD_LETTER_HEADERS.sourceTopic]: 'indexflow.ticks.ashare',
      [DEAD_LETTER_HEADERS.sourcePartition]: '3',
      [DEAD_LETTER_HEADERS.sourceOffset]: '42',
      [DEAD_LETTER_DETAIL_HEADER]: 'price was "abc"',
      [DEAD_LETTER_LENGTH_HEADER]: '7',
      [DEAD_LETTER_SHA256_HEADER]: createHash('sha256').update(record.value!).digest('hex'),
    });
  });

  it('cuts a 600 KB value, a huge key and a huge detail to bounded sizes and keeps the whole value hash', () => {
    const value = Buffer.alloc(600 * 1024, 7);
    value[0] = 0;
    const record = rejected({
      key: Buffer.alloc(100_000, 65),
      value,
      detail: `price was ${'9'.repeat(600_000)}`,
    });
    const message = deadLetterMessage(record);
    expect(message.value).toEqual(value.subarray(0, DEAD_LETTER_BOUNDS.valueBytes));
    expect((message.key as Buffer).length).toBe(DEAD_LETTER_BOUNDS.keyBytes);
    const headers = message.headers as Record<string, string>;
    expect(headers[DEAD_LETTER_DETAIL_HEADER]!.length).toBe(DEAD_LETTER_BOUNDS.detailChars);
    expect(headers[DEAD_LETTER_DETAIL_HEADER]!.startsWith('price was 999')).toBe(true);
    expect(headers[DEAD_LETTER_LENGTH_HEADER]).toBe(String(600 * 1024));
    expect(headers[DEAD_LETTER_SHA256_HEADER]).toBe(createHash('sha256').update(value).digest('hex'));
    expect(messageBytes(message)).toBeLessThan(2048);
  });

  it('reports a null value without length or hash', () => {
    const headers = deadLetterMessage(rejected({ value: null, reason: 'undecodable' })).headers ?? {};
    expect(headers[DEAD_LETTER_LENGTH_HEADER]).toBeUndefined();
    expect(headers[DEAD_LETTER_SHA256_HEADER]).toBeUndefined();
    expect(headers[DEAD_LETTER_HEADERS.rejectReason]).toBe('undecodable');
  });
});
