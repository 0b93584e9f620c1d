import { describe, expect, it } from 'vitest';
import { kafkaClientFromEnv, UnknownKafkaClientError } from './kafka-client-choice.js';

describe('kafkaClientFromEnv', () => {
  it('defaults to native, unset or empty, and takes either client by name', () => {
    expect(kafkaClientFromEnv({})).toBe('native');
    expect(kafkaClientFromEnv({ KAFKA_CLIENT: '' })).toBe('native');
    expect(kafkaClientFromEnv({ KAFKA_CLIENT: 'kafkajs' })).toBe('kafkajs');
    expect(kafkaClientFromEnv({ KAFKA_CLIENT: 'native' })).toBe('native');
  });

  it('refuses any other value, naming the allowed ones and the value given', () => {
    const error = (() => {
      try {
        kafkaClientFromEnv({ KAFKA_CLIENT: 'librdkafka' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UnknownKafkaClientError);
    expect((error as UnknownKafkaClientError).value).toBe('librdkafka');
    expect((error as Error).message).toBe(
      'KAFKA_CLIENT must be one of native, kafkajs (default native), was "librdkafka"',
    );
  });
});
