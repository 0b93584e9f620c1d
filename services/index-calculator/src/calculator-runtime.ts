import {
  ALL_TOPICS,
  AVRO_TOPICS,
  calculatorGroupId,
  createKafkaClient,
  createLevelSizeGuard,
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
import { openRedis, RedisRestartTracker, RedisStateStore, redisProbe } from '@indexflow/redis-state';
import { type Calculator, createCalculator } from './calculator.js';
import { type CalculatorMetrics, createCalculatorMetrics } from './calculator-metrics.js';
import type { CalculatorConfig } from './config.js';
import { calculatorEngineOptions } from './engine-options.js';
import { loadIndexDefinitions } from './index-definitions.js';
import { createKafkaAdapters } from './kafka-adapters.js';
import type { ShardScope } from './shard-scope.js';

export interface CalculatorRuntime {
  readonly calculator: Calculator;
  readonly metrics: CalculatorMetrics;
  readonly inputTopics: readonly string[];
  /** What /readyz asks: the brokers, Redis and the registry, over the runtime's own connections. */
  readonly probes: readonly ReadinessProbe[];
  /** Closes the adapters (admin, source, sink, Redis), logging each step with its duration. */
  close(): Promise<void>;
}

export { calculatorGroupId } from '@indexflow/kafka';

/**
 * Wires the real adapters (Kafka source and transactional sink, Redis state) around the
 * calculator. Ensures the catalogue topics and schemas exist first; both steps are idempotent.
 */
export async function createCalculatorRuntime(
  config: CalculatorConfig,
  log: Logger,
  /** Set for one shard of a sharded calculator (`CALCULATOR_ID` is then the shard's id). */
  shard?: { readonly scope: ShardScope; readonly metrics: CalculatorMetrics },
  /** Kept across in-process recoveries, so counters go on (a fresh set when omitted). */
  sharedMetrics?: CalculatorMetrics,
): Promise<CalculatorRuntime> {
  const definitions = shard?.scope.definitions ?? loadIndexDefinitions(config.INDEX_DEFINITIONS_DIR);
  const topics = topicNames(config.TOPIC_PREFIX);
  const metrics = shard?.metrics ?? sharedMetrics ?? createCalculatorMetrics();
  const kafka = createKafkaClient({
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: `indexflow-calculator-${config.CALCULATOR_ID}`,
    logger: log,
  });
  const registry = createSchemaRegistryClient({ url: config.SCHEMA_REGISTRY_URL });
  const admin = await openTopicAdmin({
    client: config.KAFKA_CLIENT,
    brokers: config.KAFKA_BROKERS.split(','),
    clientId: `indexflow-calculator-${config.CALCULATOR_ID}-admin`,
    logger: log,
  });
  await ensureTopics(
    admin,
    ALL_TOPICS.map((t) => ({ ...t, name: `${config.TOPIC_PREFIX}${t.name}` })),
  );
  await registerTopicSchemas(registry, {
    topics: AVRO_TOPICS.map((t) => ({ name: `${config.TOPIC_PREFIX}${t.name}`, schema: t.schema })),
  });
  const groupId = calculatorGroupId(config.TOPIC_PREFIX, config.CALCULATOR_ID);
  const inputTopics = [topics.ticksAshare, topics.ticksHk, topics.fx, topics.indexAdjustments];
  const { source, sink, fastLane } = createKafkaAdapters({
    config,
    onStale: (partition, watermark) => {
      metrics.staleSources.inc({ partition });
      log.warn(
        { partition, watermark: watermark === undefined ? null : new Date(watermark).toISOString() },
        'source stale: its producer wrote no watermark for SOURCE_STALE_MS; the merge no longer waits for it, and its later records older than what was published are refused',
      );
    },
    kafka,
    registry,
    groupId,
    inputTopics,
    outputs: {
      levelsTopic: topics.indexLevels,
      ...(config.CONFLATION_INTERVAL_MS > 0 ? { conflatedTopic: topics.indexLevelsConflated } : {}),
      deadLetterTopic: topics.deadLetter,
      closesTopic: topics.indexCloses,
      fastTopic: topics.indexLevelsFast,
    },
    log,
  });
  const redis = await openRedis(config.REDIS_URL, { tlsCaFile: config.REDIS_TLS_CA_FILE });
  const state = new RedisStateStore({
    redis,
    calculatorId: config.CALCULATOR_ID,
    prefix: config.TOPIC_PREFIX || undefined,
    logger: log,
  });
  const restarts = new RedisRestartTracker({
    redis,
    calculatorId: config.CALCULATOR_ID,
    prefix: config.TOPIC_PREFIX || undefined,
    restarts: config.POISON_PILL_RESTARTS,
  });
  const calculator = createCalculator({
    definitions,
    engineOptions: calculatorEngineOptions(config, shard !== undefined),
    source: shard ? shard.scope.wrapSource(source) : source,
    sink,
    state,
    logger: log,
    metrics,
    ...(shard ? { rejectionsToPublish: shard.scope.rejectionsToPublish } : {}),
    ...(fastLane ? { fastLane } : {}),
    levelGuard: createLevelSizeGuard(),
    restarts,
    batchSize: config.BATCH_SIZE,
    batchWaitMs: config.BATCH_WAIT_MS,
    conflationIntervalMs: config.CONFLATION_INTERVAL_MS,
    now: () => Date.now(),
  });
  // Consumer lag per input topic: high watermark minus the group's committed offset (which only
  // the calculator's transactions move), sampled off the hot path.
  const sampleLag = async () => {
    try {
      const committed = await admin.committedOffsets(groupId, inputTopics);
      for (const topic of inputTopics) {
        const high = new Map((await admin.partitionOffsets(topic)).map((p) => [p.partition, p.high]));
        let lag = 0n;
        for (const p of committed) {
          if (p.topic !== topic) continue;
          const end = high.get(p.partition) ?? 0n;
          const at = p.offset < 0n ? 0n : p.offset;
          if (end > at) lag += end - at;
        }
        metrics.consumerLag.set({ topic }, Number(lag));
      }
    } catch (error) {
      log.debug({ err: error }, 'consumer lag not sampled');
    }
  };
  // One sample at a time: while a broker fails over, each lookup may wait out its timeout, and
  // samples started every interval would pile up on librdkafka's worker threads.
  let sampling = false;
  const lagTimer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    void sampleLag().finally(() => {
      sampling = false;
    });
  }, config.LAG_SAMPLE_MS);
  lagTimer.unref();
  const step = (name: string, close: () => Promise<unknown>) => closeStep(log, name, close);
  return {
    calculator,
    metrics,
    inputTopics,
    probes: [kafkaProbe(admin), redisProbe(redis), registryProbe(registry)],
    async close() {
      clearInterval(lagTimer);
      await step('admin', () => admin.close());
      await step('source', () => source.close());
      await step('sink', () => sink.close());
      if (fastLane) await step('fast lane', () => fastLane.close());
      await step('redis', () => redis.quit());
    },
  };
}
