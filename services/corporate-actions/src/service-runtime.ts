import { readIndexDefinitions } from '@indexflow/dataset-files';
import {
  ALL_TOPICS,
  AVRO_TOPICS,
  corporateActionsGroupId,
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  kafkaProbe,
  openTopicAdmin,
  type ReadinessProbe,
  registerTopicSchemas,
  registryProbe,
  topicNames,
} from '@indexflow/kafka';
import { closeStep, type Logger } from '@indexflow/observability';
import {
  EMPTY_PROJECTION,
  openRedis,
  RedisRestartTracker,
  RedisStateStore,
  redisProbe,
} from '@indexflow/redis-state';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { createActionKafkaAdapters } from './action-kafka-adapters.js';
import { type ActionRegisterLoop, createActionRegister } from './action-register.js';
import { ActionSink } from './action-sink.js';
import { readCalculatorEngine } from './calculator-state.js';
import type { ServiceConfig } from './config.js';
import { createFxFilter, type FxFilter } from './fx-filter.js';
import { createFxKafkaAdapters } from './fx-kafka-adapters.js';
import { readPublishedDates } from './published-dates.js';
import { createServiceMetrics, type ServiceMetrics } from './service-metrics.js';

export interface ServiceRuntime {
  readonly actions: ActionRegisterLoop;
  readonly fx: FxFilter;
  readonly metrics: ServiceMetrics;
  readonly ready: () => boolean;
  /** Resolves when both pipelines stopped, rejects when either failed. */
  readonly done: Promise<void>;
  /** Asks both pipelines to stop after their current batch (`done` then resolves). */
  stop(): void;
  /** What /readyz asks: the brokers, Redis and the registry. */
  readonly probes: readonly ReadinessProbe[];
  close(): Promise<void>;
}

/** Announcements per register batch at most, and how long a batch waits for them. */
const ACTIONS_BATCH_SIZE = 500;
const ACTIONS_BATCH_WAIT_MS = 100;

/** Wires Kafka, the registry and Redis around the two pipelines (actions register, FX filter). */
export async function createServiceRuntime(
  config: ServiceConfig,
  log: Logger,
  /** Kept across in-process recoveries, so counters go on (a fresh set when omitted). */
  sharedMetrics?: ServiceMetrics,
): Promise<ServiceRuntime> {
  const definitions = readIndexDefinitions(config.INDEX_DEFINITIONS_DIR ?? SAMPLE_DIR);
  const topics = topicNames(config.TOPIC_PREFIX);
  const metrics = sharedMetrics ?? createServiceMetrics();
  const kafka = createKafkaClient({
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: `indexflow-corporate-actions-${config.SERVICE_ID}`,
    logger: log,
  });
  const registry = createSchemaRegistryClient({ url: config.SCHEMA_REGISTRY_URL });
  const admin = await openTopicAdmin({
    client: config.KAFKA_CLIENT,
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: `indexflow-corporate-actions-${config.SERVICE_ID}-admin`,
    logger: log,
  });
  try {
    await ensureTopics(
      admin,
      ALL_TOPICS.map((t) => ({ ...t, name: `${config.TOPIC_PREFIX}${t.name}` })),
    );
  } catch (error) {
    await admin.close();
    throw error;
  }
  await registerTopicSchemas(registry, {
    topics: AVRO_TOPICS.map((t) => ({ name: `${config.TOPIC_PREFIX}${t.name}`, schema: t.schema })),
  });
  const redis = await openRedis(config.REDIS_URL, { tlsCaFile: config.REDIS_TLS_CA_FILE });
  const prefix = config.TOPIC_PREFIX || undefined;
  const group = corporateActionsGroupId(config.TOPIC_PREFIX, config.SERVICE_ID);
  const actionsLog = log.child({ component: 'actions' });
  const actionAdapters = createActionKafkaAdapters({
    config,
    kafka,
    registry,
    groupId: `${group}-actions`,
    actionsTopic: topics.corporateActions,
    adjustmentsTopic: topics.indexAdjustments,
    deadLetterTopic: topics.deadLetter,
    now: Date.now,
    log: actionsLog,
  });
  // The register's own state id: its keys never meet a calculator's or the FX filter's.
  const actionsStateId = `ca:${config.SERVICE_ID}:actions`;
  const actions = createActionRegister({
    definitions,
    schedule: {
      mode: config.PUBLISH_MODE,
      publishAt: config.PUBLISH_AT,
      ...(config.AS_OF_DATE ? { asOfDate: config.AS_OF_DATE } : {}),
    },
    source: actionAdapters.source,
    sink: new ActionSink(actionAdapters.sink, {
      definitions,
      calculatorEngine: () =>
        readCalculatorEngine(redis, {
          calculatorId: config.CALCULATOR_ID,
          definitions,
          ...(prefix ? { prefix } : {}),
        }),
      metrics,
      log: actionsLog,
    }),
    state: new RedisStateStore({
      redis,
      calculatorId: actionsStateId,
      ...(prefix ? { prefix } : {}),
      logger: actionsLog,
      projection: () => EMPTY_PROJECTION,
    }),
    publishedDates: () =>
      readPublishedDates({
        reader: actionAdapters.openReader(),
        registry,
        topic: topics.indexAdjustments,
        log: actionsLog,
      }),
    metrics,
    log: actionsLog,
    batchSize: ACTIONS_BATCH_SIZE,
    batchWaitMs: ACTIONS_BATCH_WAIT_MS,
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
  const actionsRun = actions.run();
  const fxRun = fx.run();
  // Either failing fails the runtime; recovery is from Redis and Kafka's committed offsets.
  const done = Promise.all([actionsRun, fxRun]).then(() => undefined);
  done.catch(() => {});
  return {
    done,
    stop() {
      actions.stop();
      fx.stop();
    },
    actions,
    fx,
    metrics,
    ready: () => actions.ready && fx.ready,
    probes: [kafkaProbe(admin), redisProbe(redis), registryProbe(registry)],
    async close() {
      const step = (name: string, work: () => Promise<unknown>) => closeStep(log, name, work);
      await step('actions', async () => {
        actions.stop();
        await actionsRun.catch(() => {});
      });
      await step('actions source', () => actionAdapters.source.close());
      await step('actions sink', () => actionAdapters.sink.close());
      await step('fx', async () => {
        fx.stop();
        await fxRun.catch(() => {});
      });
      await step('fx source', () => fxAdapters.source.close());
      await step('fx sink', () => fxAdapters.sink.close());
      await step('admin', () => admin.close());
      await step('redis', () => redis.quit());
    },
  };
}
