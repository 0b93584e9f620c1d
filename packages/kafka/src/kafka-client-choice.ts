import { KafkaAdapterError } from './kafka-errors.js';

/** The Kafka clients IndexFlow runs on; the first is the default. */
export const KAFKA_CLIENT_NAMES = ['native', 'kafkajs'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENT_NAMES)[number];
export const DEFAULT_KAFKA_CLIENT: KafkaClientName = 'native';

/** KAFKA_CLIENT named no client IndexFlow has. */
export class UnknownKafkaClientError extends KafkaAdapterError {
  readonly value: string;

  constructor(value: string) {
    super(
      `KAFKA_CLIENT must be one of ${KAFKA_CLIENT_NAMES.join(', ')} (default ${DEFAULT_KAFKA_CLIENT}), ` +
        `was ${JSON.stringify(value.slice(0, 200))}`,
      { retriable: false },
    );
    this.value = value;
  }
}

export function isKafkaClientName(value: string): value is KafkaClientName {
  return (KAFKA_CLIENT_NAMES as readonly string[]).includes(value);
}

/**
 * The one rule every service and command selects its Kafka client by: `KAFKA_CLIENT`, unset or
 * empty meaning the default (native), anything else not a client name refused.
 */
export function kafkaClientFromEnv(env: Record<string, string | undefined> = process.env): KafkaClientName {
  const value = env.KAFKA_CLIENT;
  if (value === undefined || value === '') return DEFAULT_KAFKA_CLIENT;
  if (!isKafkaClientName(value)) throw new UnknownKafkaClientError(value);
  return value;
}
