import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLevelRow, replayDataset } from '@indexflow/dataset-files';
import { Dec, formatFixed } from '@indexflow/index-engine';
import {
  ALL_TOPICS,
  AVRO_TOPICS,
  createAvroSerdes,
  createKafkaClient,
  createSchemaRegistryClient,
  ensureTopics,
  type FxRateRecord,
  fetchPartitionCounts,
  type IndexLevelRecord,
  KafkajsTopicAdmin,
  kafkajsRecordProducer,
  type MarketTickRecord,
  registerTopicSchemas,
  topicNames,
} from '@indexflow/kafka';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { uniqueName } from '@indexflow/testkit';
import type { Kafka } from 'kafkajs';
import { produceDataset } from '../../../services/cli/src/kafka/produce-dataset.js';
import { CLI } from './entry-points.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The published record as the offline replay's levels.csv row, for byte-for-byte comparison. */
export function recordAsRow(record: IndexLevelRecord): string {
  return [
    new Date(record.eventTime).toISOString(),
    record.indexId,
    formatFixed(new Dec(record.level), 10),
    record.sequence,
    record.trigger.toLowerCase().replace('_', '-'),
    record.triggerSymbol ?? '',
  ].join(',');
}

const byIndexThenSequence = (a: string, b: string) => {
  const [, ia, , sa] = a.split(',');
  const [, ib, , sb] = b.split(',');
  return ia! < ib! ? -1 : ia! > ib! ? 1 : Number(sa) - Number(sb);
};

export function sortRows(rows: string[]): string[] {
  return [...rows].sort(byIndexThenSequence);
}

/** A dataset of the seed indices: the bundled sample's day without actions, or a simulated day. */
export function makeDataset(kind: 'sample' | 'simulated-day'): string {
  const dir = mkdtempSync(join(tmpdir(), `indexflow-${kind}-`));
  if (kind === 'sample') {
    cpSync(join(SAMPLE_DIR, 'indices'), join(dir, 'indices'), { recursive: true });
    copyFileSync(join(SAMPLE_DIR, 'ticks.csv'), join(dir, 'ticks.csv'));
    copyFileSync(join(SAMPLE_DIR, 'fx.csv'), join(dir, 'fx.csv'));
    return dir;
  }
  execFileSync(process.execPath, [CLI, 'simulate', '--out', dir, '--days', '1', '--seed', '11'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  return dir;
}

/** What the offline replay computes for a dataset: the rows every live run must equal. */
export async function offlineRows(datasetDir: string): Promise<string[]> {
  const rows: string[] = [];
  await replayDataset(datasetDir, {
    onLevel: (level) => rows.push(formatLevelRow(level)),
    engine: { rejectUnknownSymbols: true },
  });
  return sortRows(rows);
}

export interface CalculatorEnvironment {
  readonly prefix: string;
  readonly topics: ReturnType<typeof topicNames>;
  readonly kafka: Kafka;
  readonly registry: ReturnType<typeof createSchemaRegistryClient>;
  readonly env: Record<string, string>;
}

/** Creates uniquely prefixed topics, registers their schemas, and returns the calculator's env. */
export async function prepareEnvironment(endpoints: {
  kafkaBrokers: string;
  schemaRegistryUrl: string;
  redisUrl: string;
  datasetDir: string;
}): Promise<CalculatorEnvironment> {
  const prefix = `${uniqueName('calc')}.`;
  const topics = topicNames(prefix);
  const kafka = createKafkaClient({
    brokers: endpoints.kafkaBrokers.split(','),
    clientId: uniqueName('test'),
  });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    KafkajsTopicAdmin.over(admin),
    ALL_TOPICS.map((t) => ({ ...t, name: `${prefix}${t.name}` })),
  );
  await admin.disconnect();
  const registry = createSchemaRegistryClient({ url: endpoints.schemaRegistryUrl });
  await registerTopicSchemas(registry, {
    topics: AVRO_TOPICS.map((t) => ({ name: `${prefix}${t.name}`, schema: t.schema })),
  });
  return {
    prefix,
    topics,
    kafka,
    registry,
    env: {
      KAFKA_BROKERS: endpoints.kafkaBrokers,
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      REDIS_URL: endpoints.redisUrl,
      TOPIC_PREFIX: prefix,
      CALCULATOR_ID: 'it',
      INDEX_DEFINITIONS_DIR: endpoints.datasetDir,
      // Unset: every service's default (native); KAFKA_CLIENT=kafkajs runs a test file on kafkajs.
      ...(process.env.KAFKA_CLIENT ? { KAFKA_CLIENT: process.env.KAFKA_CLIENT } : {}),
    },
  };
}

/** Partition counts of the tick and FX topics, for the watermarks `produceDataset` writes to each. */
export async function partitionCounts(
  environment: CalculatorEnvironment,
): Promise<ReadonlyMap<string, number>> {
  const admin = environment.kafka.admin();
  await admin.connect();
  try {
    const { topics } = environment;
    return await fetchPartitionCounts(KafkajsTopicAdmin.over(admin), [
      topics.ticksAshare,
      topics.ticksHk,
      topics.fx,
      topics.fxRaw,
    ]);
  } finally {
    await admin.disconnect();
  }
}

/** Produces a dataset's ticks and FX to the environment's topics, as fast as possible. */
export async function produce(environment: CalculatorEnvironment, datasetDir: string): Promise<number> {
  const producer = environment.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const partitions = await partitionCounts(environment);
  const tickSerdes = new Map<string, ReturnType<typeof createAvroSerdes<MarketTickRecord>>>();
  const summary = await produceDataset({
    datasetDir,
    producer: kafkajsRecordProducer(producer),
    topics: environment.topics,
    tickSerdes: (topic) => {
      let serdes = tickSerdes.get(topic);
      if (!serdes) {
        serdes = createAvroSerdes<MarketTickRecord>(environment.registry, topic);
        tickSerdes.set(topic, serdes);
      }
      return serdes;
    },
    fxSerdes: createAvroSerdes<FxRateRecord>(environment.registry, environment.topics.fx),
    speed: 'max',
    partitions: (topic) => partitions.get(topic) ?? 1,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
  });
  await producer.disconnect();
  return summary.ticks;
}

/** The conflation rule applied to levels.csv rows: the first row of each index in each interval. */
export function conflateRows(rows: string[], intervalMs: number): string[] {
  const seen = new Set<string>();
  return sortRows(rows).filter((row) => {
    const [ts, index] = row.split(',');
    const key = `${index}|${Math.floor(Date.parse(ts!) / intervalMs)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
