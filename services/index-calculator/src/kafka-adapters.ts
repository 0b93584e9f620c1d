import {
  type createSchemaRegistryClient,
  KafkaEventSource,
  KafkaFastLevelPublisher,
  KafkaLevelSink,
  NativeEventSource,
  NativeFastLevelPublisher,
  NativeLevelSink,
  nativeKafka,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import type { EventSource, FastLane, LevelSink } from '@indexflow/pipeline';
import type { Kafka } from 'kafkajs';
import type { CalculatorConfig } from './config.js';

export interface KafkaAdapters {
  readonly source: EventSource;
  readonly sink: LevelSink;
  readonly fastLane: (FastLane & { close(): Promise<void> }) | undefined;
}

/** What both clients' adapters are built from. */
export interface KafkaAdapterSettings {
  readonly config: CalculatorConfig;
  /** A watermark-writing producer's partition turned stale (see EventMerge). */
  readonly onStale: (partition: string, watermark: number | undefined) => void;
  readonly kafka: Kafka;
  readonly registry: ReturnType<typeof createSchemaRegistryClient>;
  readonly groupId: string;
  readonly inputTopics: readonly string[];
  readonly outputs: {
    readonly levelsTopic: string;
    readonly conflatedTopic?: string;
    readonly deadLetterTopic: string;
    readonly closesTopic: string;
    readonly fastTopic: string;
  };
  readonly log: Logger;
}

function sourceOptions({ config, registry, groupId, inputTopics, onStale, log }: KafkaAdapterSettings) {
  return {
    registry,
    groupId,
    topics: inputTopics,
    ordering: config.ORDERING,
    idleTimeoutMs: config.IDLE_TIMEOUT_MS,
    latenessMs: config.LATENESS_MS,
    resumeGraceMs: config.RESUME_GRACE_MS,
    staleAfterMs: config.SOURCE_STALE_MS,
    onStale,
    logger: log.child({ component: 'kafka-event-source' }),
  };
}

function sinkOptions({ registry, groupId, inputTopics, outputs, log }: KafkaAdapterSettings) {
  return {
    registry,
    groupId,
    inputTopics,
    levelsTopic: outputs.levelsTopic,
    ...(outputs.conflatedTopic === undefined ? {} : { conflatedTopic: outputs.conflatedTopic }),
    deadLetterTopic: outputs.deadLetterTopic,
    closesTopic: outputs.closesTopic,
    transactionalId: groupId,
    logger: log.child({ component: 'kafka-level-sink' }),
  };
}

function kafkajsAdapters(settings: KafkaAdapterSettings): KafkaAdapters {
  const { kafka, config, registry, outputs, log } = settings;
  return {
    source: new KafkaEventSource({ kafka, ...sourceOptions(settings) }),
    sink: new KafkaLevelSink({ kafka, ...sinkOptions(settings) }),
    fastLane: config.FAST_LEVELS
      ? new KafkaFastLevelPublisher({
          kafka,
          registry,
          topic: outputs.fastTopic,
          logger: log.child({ component: 'kafka-fast-level-publisher' }),
        })
      : undefined,
  };
}

function nativeAdapters(settings: KafkaAdapterSettings): KafkaAdapters {
  const { config, registry, outputs, log } = settings;
  nativeKafka(); // fail at start-up, with the reason, when the client did not build
  const client = {
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: `indexflow-calculator-${config.CALCULATOR_ID}`,
  };
  const source = new NativeEventSource({ ...client, ...sourceOptions(settings) });
  return {
    source,
    sink: new NativeLevelSink({
      ...client,
      ...sinkOptions(settings),
      groupConsumer: () => source.groupConsumer(),
    }),
    fastLane: config.FAST_LEVELS
      ? new NativeFastLevelPublisher({
          ...client,
          registry,
          topic: outputs.fastTopic,
          logger: log.child({ component: 'kafka-fast-level-publisher' }),
        })
      : undefined,
  };
}

/** The source, sink and fast lane of the client `KAFKA_CLIENT` names. */
export function createKafkaAdapters(settings: KafkaAdapterSettings): KafkaAdapters {
  return settings.config.KAFKA_CLIENT === 'native' ? nativeAdapters(settings) : kafkajsAdapters(settings);
}
