#!/usr/bin/env node
/**
 * index-calculator: consumes ticks, FX and index adjustments from Kafka, runs the index engine,
 * and publishes every level change to the index-level topic in Kafka transactions, with its
 * state in Redis. The only file that reads the environment, handles signals or names adapters.
 */
import {
  ALL_TOPICS,
  AVRO_TOPICS,
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  KafkaEventSource,
  KafkaLevelSink,
  registerTopicSchemas,
  topicNames,
} from '@indexflow/kafka';
import { createRootLogger, startOpsServer } from '@indexflow/observability';
import { RedisStateStore } from '@indexflow/redis-state';
import { Redis } from 'ioredis';
import { createCalculator } from './calculator.js';
import { createCalculatorMetrics } from './calculator-metrics.js';
import { ConfigError, loadConfig } from './config.js';
import { loadIndexDefinitions } from './index-definitions.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`index-calculator: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createRootLogger({ name: 'index-calculator', level: config.LOG_LEVEL });
  const log = logger.child({ calculatorId: config.CALCULATOR_ID });
  const definitions = loadIndexDefinitions(config.INDEX_DEFINITIONS_DIR);
  const topics = topicNames(config.TOPIC_PREFIX);
  const metrics = createCalculatorMetrics();
  const kafka = createKafkaClient({ brokers: config.KAFKA_BROKERS.split(','), clientId: `indexflow-calculator-${config.CALCULATOR_ID}`, logger: log });
  const registry = createSchemaRegistryClient({ url: config.SCHEMA_REGISTRY_URL });
  // Idempotent: a fresh cluster gets the catalogue topics and a fresh registry the schemas.
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, ALL_TOPICS.map((t) => ({ ...t, name: `${config.TOPIC_PREFIX}${t.name}` })));
  await admin.disconnect();
  await registerTopicSchemas(registry, {
    topics: AVRO_TOPICS.map((t) => ({ name: `${config.TOPIC_PREFIX}${t.name}`, schema: t.schema })),
  });
  const groupId = `indexflow-calculator-${config.TOPIC_PREFIX}${config.CALCULATOR_ID}`;
  const inputTopics = [topics.ticksAshare, topics.ticksHk, topics.fx, topics.indexAdjustments];
  const source = new KafkaEventSource({
    kafka,
    registry,
    groupId,
    topics: inputTopics,
    ordering: config.ORDERING,
    idleTimeoutMs: config.IDLE_TIMEOUT_MS,
    logger: log.child({ component: 'kafka-event-source' }),
  });
  const sink = new KafkaLevelSink({
    kafka,
    registry,
    groupId,
    inputTopics,
    levelsTopic: topics.indexLevels,
    deadLetterTopic: topics.deadLetter,
    transactionalId: `indexflow-calculator-${config.TOPIC_PREFIX}${config.CALCULATOR_ID}`,
    logger: log.child({ component: 'kafka-level-sink' }),
  });
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  const state = new RedisStateStore({ redis, calculatorId: config.CALCULATOR_ID, prefix: config.TOPIC_PREFIX, logger: log });
  const calculator = createCalculator({
    definitions,
    engineOptions: {
      rejectUnknownSymbols: config.REJECT_UNKNOWN_SYMBOLS,
      ...(config.FX_MAX_AGE_MS === undefined ? {} : { fxMaxAgeMs: config.FX_MAX_AGE_MS }),
    },
    source,
    sink,
    state,
    logger: log,
    metrics,
    batchSize: config.BATCH_SIZE,
    batchWaitMs: config.BATCH_WAIT_MS,
    now: () => Date.now(),
  });
  const ops = await startOpsServer({ host: config.HTTP_HOST, port: config.HTTP_PORT, registry: metrics.registry, isReady: () => calculator.ready });
  log.info({ port: ops.port, indices: definitions.map((d) => d.id), topics: inputTopics, ordering: config.ORDERING }, 'index-calculator starting');

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'stopping: finishing the current batch');
    calculator.stop();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  const closeStep = async (name: string, step: () => Promise<unknown>) => {
    const started = Date.now();
    try {
      await step();
      log.info({ step: name, durationMs: Date.now() - started }, 'closed');
    } catch (error) {
      log.warn({ step: name, err: error }, 'close failed');
    }
  };
  let exitCode = 0;
  try {
    await calculator.run();
  } catch (error) {
    log.fatal({ err: error }, 'calculator failed; a restart recovers from the last committed batch');
    exitCode = 1;
  }
  await closeStep('source', () => source.close());
  await closeStep('sink', () => sink.close());
  await closeStep('redis', () => redis.quit());
  await closeStep('ops server', () => ops.close());
  log.info({ stats: { ...calculator.stats, rejectedByReason: Object.fromEntries(calculator.stats.rejectedByReason) } }, 'stopped');
  process.exit(exitCode);
}

void main();
