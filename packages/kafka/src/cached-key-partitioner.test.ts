import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createCachedKeyPartitioner } from './cached-key-partitioner.js';

const metadata = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));

describe('createCachedKeyPartitioner', () => {
  it('puts every keyed message where the DefaultPartitioner does, asked once or many times', () => {
    const reference = Partitioners.DefaultPartitioner();
    const cached = createCachedKeyPartitioner();
    for (const count of [1, 3, 6]) {
      for (let i = 0; i < 500; i += 1) {
        const args = {
          topic: 'levels',
          partitionMetadata: metadata(count),
          message: { key: `index-${i % 97}`, value: null },
        };
        expect(cached(args)).toBe(reference(args));
      }
    }
  });

  it('keeps an explicit partition', () => {
    const cached = createCachedKeyPartitioner();
    expect(
      cached({
        topic: 't',
        partitionMetadata: metadata(3),
        message: { key: 'a', value: null, partition: 2 },
      }),
    ).toBe(2);
  });
});
