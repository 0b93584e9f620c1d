// The gateway's input: the configured level topic (LEVELS_FEED) read with the configured Kafka
// client and decoded with the registry's schemas, each level handed to the hub.
import {
  createAvroSerdes,
  createRecordReader,
  createSchemaRegistryClient,
  gatewayClientId,
  type IndexLevelRecord,
  registryProbe,
  topicNames,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import type { GatewayConfig } from './config.js';
import type { FeedHub } from './feed-hub.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { type LevelConsumer, startLevelConsumer } from './level-consumer.js';

export interface LevelFeed {
  readonly levels: LevelConsumer;
  /** The readiness probe of the registry the serdes read. */
  readonly registryProbe: ReturnType<typeof registryProbe>;
}

export async function startLevelFeed(
  config: GatewayConfig,
  log: Logger,
  metrics: GatewayMetrics,
  hub: FeedHub,
): Promise<LevelFeed> {
  const topics = topicNames(config.TOPIC_PREFIX);
  const topic = config.LEVELS_FEED === 'fast' ? topics.indexLevelsFast : topics.indexLevels;
  const reader = createRecordReader({
    client: config.KAFKA_CLIENT,
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: gatewayClientId(config.GATEWAY_ID),
    logger: log.child({ component: 'kafka-reader' }),
  });
  const registry = createSchemaRegistryClient({ url: config.SCHEMA_REGISTRY_URL });
  const levels = await startLevelConsumer({
    reader,
    topic,
    serdes: createAvroSerdes<IndexLevelRecord>(registry, topic),
    from: config.HISTORY_FROM,
    logger: log.child({ component: 'level-consumer' }),
    onRecord: (record) => {
      metrics.levelsIn.inc();
      hub.apply(record);
    },
    onUndecodable: () => metrics.undecodable.inc(),
  });
  return { levels, registryProbe: registryProbe(registry) };
}
