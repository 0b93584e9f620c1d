import {
  type createSchemaRegistryClient,
  KafkaEventSource,
  KafkaLevelSink,
  NativeEventSource,
  NativeLevelSink,
  type StructuredLogger,
} from '@indexflow/kafka';
import type { EventSource, LevelSink } from '@indexflow/pipeline';
import type { Kafka } from 'kafkajs';

/** The calculator's Kafka clients (KAFKA_CLIENT); every contract test runs against each. */
export const KAFKA_CLIENTS = ['kafkajs', 'native'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

export interface AdapterSettings {
  readonly kafka: Kafka;
  readonly brokers: readonly string[];
  readonly registry: ReturnType<typeof createSchemaRegistryClient>;
  readonly groupId: string;
  readonly inputTopic: string;
  readonly ordering?: 'canonical' | 'arrival';
  readonly logger: StructuredLogger;
}

export interface SinkTopics {
  readonly levelsTopic: string;
  readonly deadLetterTopic: string;
  readonly transactionalId: string;
}

/** A source and sink of one client, wired as the calculator wires them (same group). */
export function clientAdapters(
  client: KafkaClientName,
  settings: AdapterSettings,
  sinkTopics: SinkTopics,
): { source: EventSource; sink: LevelSink } {
  const { kafka, brokers, registry, groupId, inputTopic, logger } = settings;
  const topics = [{ name: inputTopic, schema: 'market-tick' as const }];
  const common = {
    registry,
    groupId,
    topics,
    idleTimeoutMs: 200,
    logger,
    ordering: settings.ordering ?? 'canonical',
  };
  const sinkOptions = { registry, groupId, inputTopics: [inputTopic], ...sinkTopics, logger };
  if (client === 'kafkajs') {
    return {
      source: new KafkaEventSource({ kafka, ...common }),
      sink: new KafkaLevelSink({ kafka, ...sinkOptions }),
    };
  }
  const clientId = `contract-${groupId}`;
  const source = new NativeEventSource({ brokers, clientId, ...common });
  const sink = new NativeLevelSink({
    brokers,
    clientId,
    ...sinkOptions,
    groupConsumer: () => source.groupConsumer(),
  });
  return { source, sink };
}
