import {
  adjustmentRecords,
  corporateActionsReaderClientId,
  createRecordReader,
  type createSchemaRegistryClient,
  type IndexAdjustmentRecord,
  KafkaLevelSink,
  NativeLevelSink,
  type RecordReader,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import type { LevelSink } from '@indexflow/pipeline';
import type { Kafka } from 'kafkajs';
import { AnnouncementSource } from './announcement-source.js';
import type { ServiceConfig } from './config.js';

/** Where the register reads and writes, and as whom. */
export interface ActionKafkaSettings {
  readonly config: ServiceConfig;
  readonly kafka: Kafka;
  readonly registry: ReturnType<typeof createSchemaRegistryClient>;
  /** Consumer group and transactional id: its committed offsets are the recovery point. */
  readonly groupId: string;
  readonly actionsTopic: string;
  readonly adjustmentsTopic: string;
  readonly deadLetterTopic: string;
  readonly now: () => number;
  readonly log: Logger;
}

export interface ActionKafkaAdapters {
  readonly source: AnnouncementSource;
  readonly sink: LevelSink<IndexAdjustmentRecord>;
  /** A reader of the adjustments topic, opened when the register starts without state (see readPublishedDates). */
  readonly openReader: () => RecordReader;
}

/**
 * The register's source, sink and reader on the client `KAFKA_CLIENT` names. The source assigns
 * the actions partition itself (no group join), so the native sink commits offsets by group id.
 */
export function createActionKafkaAdapters(settings: ActionKafkaSettings): ActionKafkaAdapters {
  const { config, registry, groupId, actionsTopic, adjustmentsTopic, log } = settings;
  const client = {
    client: config.KAFKA_CLIENT,
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: corporateActionsReaderClientId(config.SERVICE_ID),
    logger: log.child({ component: 'kafka-actions-reader' }),
  };
  const source = new AnnouncementSource({
    reader: createRecordReader(client),
    registry,
    topic: actionsTopic,
    // The clock's position is kept as the register group's "offset" of the adjustments topic.
    clock: { topic: adjustmentsTopic, partition: 0 },
    tickMs: config.SCHEDULE_CHECK_MS,
    now: settings.now,
  });
  // The level sink with no levels: the adjustments are derived records, written with the dead
  // letters and the input offsets (the clock's too) in one transaction.
  const sinkOptions = {
    registry,
    groupId,
    inputTopics: [actionsTopic, adjustmentsTopic],
    levelsTopic: adjustmentsTopic,
    derived: adjustmentRecords(registry, adjustmentsTopic),
    deadLetterTopic: settings.deadLetterTopic,
    transactionalId: groupId,
    logger: log.child({ component: 'kafka-actions-sink' }),
  };
  const sink =
    config.KAFKA_CLIENT === 'native'
      ? new NativeLevelSink<IndexAdjustmentRecord>({
          brokers: client.brokers,
          clientId: client.clientId,
          ...sinkOptions,
        })
      : new KafkaLevelSink<IndexAdjustmentRecord>({ kafka: settings.kafka, ...sinkOptions });
  return { source, sink, openReader: () => createRecordReader(client) };
}
