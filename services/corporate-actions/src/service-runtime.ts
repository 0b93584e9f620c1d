import { readIndexDefinitions } from '@indexflow/dataset-files';
import {
  ALL_TOPICS,
  AVRO_TOPICS,
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  registerTopicSchemas,
  topicNames,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import { EMPTY_PROJECTION, RedisRestartTracker, RedisStateStore } from '@indexflow/redis-state';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { Redis } from 'ioredis';
import { ActionService } from './action-service.js';
import { readCalculatorEngine } from './calculator-state.js';
import type { ServiceConfig } from './config.js';
import { createFxFilter, type FxFilter } from './fx-filter.js';
import { createFxKafkaAdapters } from './fx-kafka-adapters.js';
import { createServiceMetrics, type ServiceMetrics } from './service-metrics.js';
import { ServiceStateStore } from './service-state-store.js';

export interface ServiceRuntime {
  readonly actions: ActionService;
  readonly fx: FxFilter;
  readonly metrics: ServiceMetrics;
  readonly ready: () => boolean;
  close(): Promise<void>;
}

/** Wires Kafka, the registry and Redis around the two loops (actions register, FX filter). */
export async function createServiceRuntime(
  config: ServiceConfig,
  log: Logger,
  onFailure: (error: unknown) => void,
): Promise<ServiceRuntime> {
  const definitions = readIndexDefinitions(config.INDEX_DEFINITIONS_DIR ?? SAMPLE_DIR);
  const topics = topicNames(config.TOPIC_PREFIX);
  const metrics = createServiceMetrics();
  const kafka = createKafkaClient({
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: `indexflow-corporate-actions-${config.SERVICE_ID}`,
    logger: log,
  });
  const registry = createSchemaRegistryClient({ url: config.SCHEMA_REGISTRY_URL });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      ALL_TOPICS.map((t) => ({ ...t, name: `${config.TOPIC_PREFIX}${t.name}` })),
    );
  } finally {
    await admin.disconnect();
  }
  await registerTopicSchemas(registry, {
    topics: AVRO_TOPICS.map((t) => ({ name: `${config.TOPIC_PREFIX}${t.name}`, schema: t.schema })),
  });
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const prefix = config.TOPIC_PREFIX || undefined;
  const store = new ServiceStateStore(redis, { serviceId: config.SERVICE_ID, ...(prefix ? { prefix } : {}) });
  const group = `indexflow-corporate-actions-${config.TOPIC_PREFIX}${config.SERVICE_ID}`;
  const actions = new ActionService({
    kafka,
    registry,
    store,
    definitions,
    groupId: `${group}-actions`,
    actionsTopic: topics.corporateActions,
    adjustmentsTopic: topics.indexAdjustments,
    deadLetterTopic: topics.deadLetter,
    mode: config.PUBLISH_MODE,
    publishAt: config.PUBLISH_AT,
    ...(config.AS_OF_DATE ? { asOfDate: config.AS_OF_DATE } : {}),
    scheduleCheckMs: config.SCHEDULE_CHECK_MS,
    calculatorEngine: () =>
      readCalculatorEngine(redis, {
        calculatorId: config.CALCULATOR_ID,
        definitions,
        ...(prefix ? { prefix } : {}),
      }),
    now: Date.now,
    log: log.child({ component: 'actions' }),
    metrics,
    onFailure,
  });
  const fxLog = log.child({ component: 'fx' });
  const fxAdapters = createFxKafkaAdapters({
    config,
    kafka,
    registry,
    groupId: `${group}-fx`,
    rawTopic: topics.fxRaw,
    fxTopic: topics.fx,
    deadLetterTopic: topics.deadLetter,
    onStale: (partition, watermark) =>
      fxLog.warn(
        { partition, watermark: watermark === undefined ? null : new Date(watermark).toISOString() },
        'raw FX source stale: its producer wrote no watermark for FX_SOURCE_STALE_MS; the filter no longer waits for it',
      ),
    log: fxLog,
  });
  // The filter's own state id: its keys never meet a calculator's or the actions register's.
  const fxStateId = `ca:${config.SERVICE_ID}:fx`;
  const fx = createFxFilter({
    maxJump: config.FX_MAX_JUMP,
    ...fxAdapters,
    state: new RedisStateStore({
      redis,
      calculatorId: fxStateId,
      ...(prefix ? { prefix } : {}),
      logger: fxLog,
      projection: () => EMPTY_PROJECTION,
    }),
    restarts: new RedisRestartTracker({
      redis,
      calculatorId: fxStateId,
      ...(prefix ? { prefix } : {}),
      restarts: config.POISON_PILL_RESTARTS,
    }),
    metrics,
    log: fxLog,
    batchSize: config.FX_BATCH_SIZE,
    batchWaitMs: config.FX_BATCH_WAIT_MS,
  });
  await actions.start();
  const fxRun = fx.run();
  // A failed run must restart the process: recovery is from Redis and Kafka's committed offsets.
  fxRun.catch(onFailure);
  return {
    actions,
    fx,
    metrics,
    ready: () => actions.ready && fx.ready,
    async close() {
      const step = async (name: string, work: () => Promise<unknown>) => {
        const started = performance.now();
        try {
          await work();
          log.info({ step: name, ms: Math.round(performance.now() - started) }, 'closed');
        } catch (error) {
          log.warn({ step: name, err: error }, 'close failed');
        }
      };
      await step('actions', () => actions.stop());
      await step('fx', async () => {
        fx.stop();
        await fxRun.catch(() => {});
      });
      await step('fx source', () => fxAdapters.source.close());
      await step('fx sink', () => fxAdapters.sink.close());
      await step('redis', () => redis.quit());
    },
  };
}
