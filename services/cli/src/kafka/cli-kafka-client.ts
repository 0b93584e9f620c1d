import { type KafkaClientName, kafkaClientFromEnv, requireKafkaClient } from '@indexflow/kafka';

/** The help line of every command that reads or writes Kafka through the chosen client. */
export const KAFKA_CLIENT_HELP =
  'Kafka client: KAFKA_CLIENT=native (default: librdkafka via @confluentinc/kafka-javascript) or KAFKA_CLIENT=kafkajs.';

/**
 * The command's Kafka client (KAFKA_CLIENT), checked before any work: an unknown name, or a
 * native client that did not build, fails here with what to do (main prints it without a stack).
 */
export function cliKafkaClient(env: Record<string, string | undefined> = process.env): KafkaClientName {
  const client = kafkaClientFromEnv(env);
  requireKafkaClient(client);
  return client;
}
