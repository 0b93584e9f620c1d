import { describe, expect, it } from 'vitest';
import { chunkTopicMessages, messageBytes, RECORD_OVERHEAD_BYTES } from './produce-chunks.js';

const message = (n: number) => ({ key: 'k', value: Buffer.alloc(n) });

describe('chunkTopicMessages', () => {
  it('keeps every message, in order, in requests of at most the byte budget', () => {
    const topicMessages = [
      { topic: 'levels', messages: Array.from({ length: 25 }, () => message(99)) },
      { topic: 'conflated', messages: Array.from({ length: 5 }, () => message(99)) },
      { topic: 'dead-letter', messages: [message(10)] },
    ];
    const chunks = chunkTopicMessages(topicMessages, 1000);
    for (const chunk of chunks) {
      const bytes = chunk.flatMap((t) => t.messages).reduce((sum, m) => sum + messageBytes(m), 0);
      expect(bytes).toBeLessThanOrEqual(1000);
    }
    const flattened = chunks.flatMap((chunk) => chunk.flatMap((t) => t.messages.map((m) => [t.topic, m])));
    const original = topicMessages.flatMap((t) => t.messages.map((m) => [t.topic, m]));
    expect(flattened).toEqual(original);
  });

  it('sends a message larger than the budget on its own rather than not at all', () => {
    expect(
      chunkTopicMessages([{ topic: 't', messages: [message(10), message(5000), message(10)] }], 1000),
    ).toEqual([
      [{ topic: 't', messages: [message(10)] }],
      [{ topic: 't', messages: [message(5000)] }],
      [{ topic: 't', messages: [message(10)] }],
    ]);
  });

  it('counts header names and values, keys, and each record framing against the budget', () => {
    const withHeaders = {
      key: 'abcd',
      value: Buffer.alloc(10),
      headers: { 'indexflow-reject-detail': 'x'.repeat(200), multi: ['ab', Buffer.from('cde')] },
    };
    expect(messageBytes(withHeaders)).toBe(RECORD_OVERHEAD_BYTES + 4 + 10 + (4 + 23 + 200) + (4 + 5 + 2 + 3));
    // Values alone would fit 4 to a request; headers make it 1.
    const chunks = chunkTopicMessages([{ topic: 't', messages: Array(4).fill(withHeaders) }], 400);
    expect(chunks.map((c) => c[0]?.messages.length)).toEqual([1, 1, 1, 1]);
  });

  it('makes no request for a transaction of offsets only', () => {
    expect(chunkTopicMessages([])).toEqual([]);
  });
});
