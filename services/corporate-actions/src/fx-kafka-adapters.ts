import {
  type createSchemaRegistryClient,
  fxRateRecords,
  KafkaEventSource,
  KafkaLevelSink,
  NativeEventSource,
  NativeLevelSink,
  nativeKafka,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import type { EventSource, LevelSink } from '@indexflow/pipeline';
import type { Kafka } from 'kafkajs';
import type { ServiceConfig } from './config.js';

/** Where the FX filter reads and writes, and as whom. */
export interface FxKafkaSettings {
  readonly config: ServiceConfig;
  readonly kafka: Kafka;
  readonly registry: ReturnType<typeof createSchemaRegistryClient>;
  /** Consumer group and transactional id: its committed offsets are the recovery point. */
  readonly groupId: string;
  readonly rawTopic: string;
  readonly fxTopic: string;
  readonly deadLetterTopic: string;
  readonly onStale: (partition: string, watermark: number | undefined) => void;
  readonly log: Logger;
}

export interface FxKafkaAdapters {
  readonly source: EventSource;
  readonly sink: LevelSink;
}

function sourceOptions({ config, registry, groupId, rawTopic, onStale, log }: FxKafkaSettings) {
  return {
    registry,
    groupId,
    topics: [{ name: rawTopic, schema: 'fx-rate' as const }],
    ordering: 'canonical' as const,
    idleTimeoutMs: config.FX_IDLE_TIMEOUT_MS,
    staleAfterMs: config.FX_SOURCE_STALE_MS,
    onStale,
    logger: log.child({ component: 'kafka-event-source' }),
  };
}

// The level sink with no levels: the filter's rates are derived events, written with the input
// watermark to the FX topic in the same transaction as the dead letters and the input offsets.
function sinkOptions({ registry, groupId, rawTopic, fxTopic, deadLetterTopic, log }: FxKafkaSettings) {
  return {
    registry,
    groupId,
    inputTopics: [rawTopic],
    levelsTopic: fxTopic,
    derived: fxRateRecords(registry, fxTopic),
    deadLetterTopic,
    transactionalId: groupId,
    logger: log.child({ component: 'kafka-fx-sink' }),
  };
}

function nativeAdapters(settings: FxKafkaSettings): FxKafkaAdapters {
  nativeKafka(); // fail at start-up, with the reason, when the client did not build
  const client = {
    brokers: settings.config.KAFKA_BROKERS.split(','),
    clientId: `indexflow-corporate-actions-${settings.config.SERVICE_ID}-fx`,
  };
  const source = new NativeEventSource({ ...client, ...sourceOptions(settings) });
  const sink = new NativeLevelSink({
    ...client,
    ...sinkOptions(settings),
    groupConsumer: () => source.groupConsumer(),
  });
  return { source, sink };
}

function kafkajsAdapters(settings: FxKafkaSettings): FxKafkaAdapters {
  const { kafka } = settings;
  return {
    source: new KafkaEventSource({ kafka, ...sourceOptions(settings) }),
    sink: new KafkaLevelSink({ kafka, ...sinkOptions(settings) }),
  };
}

/** The FX filter's source and sink on the client `KAFKA_CLIENT` names (as the calculator picks it). */
export function createFxKafkaAdapters(settings: FxKafkaSettings): FxKafkaAdapters {
  return settings.config.KAFKA_CLIENT === 'native' ? nativeAdapters(settings) : kafkajsAdapters(settings);
}
