import { describe, expect, it } from 'vitest';
import { isFencedFailure } from './fenced-failure.js';
import { KafkaOperationError, LevelTransactionError } from './kafka-errors.js';

describe('isFencedFailure', () => {
  it('finds a fenced producer in the cause chain, from either client', () => {
    const native = Object.assign(new Error('Local: This instance has been fenced by a newer instance'), {
      code: -144,
    });
    const kafkajs = Object.assign(new Error('There is a newer producer with the same transactionalId'), {
      type: 'PRODUCER_FENCED',
    });
    for (const cause of [native, kafkajs]) {
      const wrapped = new LevelTransactionError({
        transactionalId: 'indexflow-calculator-a',
        offsets: {},
        aborted: false,
        cause: new KafkaOperationError({ operation: 'commit', target: 'levels', cause }),
      });
      expect(isFencedFailure(wrapped)).toBe(true);
    }
  });

  it('does not call a broker outage or a Redis failure fenced', () => {
    expect(isFencedFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
    expect(isFencedFailure(Object.assign(new Error('Broker: Coordinator not available'), { code: 15 }))).toBe(
      false,
    );
    expect(
      isFencedFailure(new KafkaOperationError({ operation: 'commit', target: 'x', cause: 'timeout' })),
    ).toBe(false);
    expect(isFencedFailure(null)).toBe(false);
  });
});
