import { describe, expect, it } from 'vitest';
import { chunkTopicMessages } from './produce-chunks.js';

const message = (n: number) => ({ key: 'k', value: Buffer.alloc(n) });

describe('chunkTopicMessages', () => {
  it('keeps every message, in order, in requests of at most the byte budget', () => {
    const topicMessages = [
      { topic: 'levels', messages: Array.from({ length: 25 }, () => message(99)) },
      { topic: 'conflated', messages: Array.from({ length: 5 }, () => message(99)) },
      { topic: 'dead-letter', messages: [message(10)] },
    ];
    const chunks = chunkTopicMessages(topicMessages, 1000);
    expect(chunks.length).toBe(4);
    for (const chunk of chunks) {
      const bytes = chunk
        .flatMap((t) => t.messages)
        .reduce((sum, m) => sum + 1 + (m.value as Buffer).length, 0);
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

  it('counts header bytes, so headers larger than the values still split the requests', () => {
    const withHeaders = () => ({
      key: null,
      value: Buffer.alloc(10),
      headers: { provenance: 'x'.repeat(190) },
    });
    const chunks = chunkTopicMessages(
      [{ topic: 'dead-letter', messages: Array.from({ length: 10 }, withHeaders) }],
      1000,
    );
    expect(chunks.map((chunk) => chunk[0]!.messages.length)).toEqual([4, 4, 2]);
  });

  it('makes no request for a transaction of offsets only', () => {
    expect(chunkTopicMessages([])).toEqual([]);
  });
});
