import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue } from '@indexflow/dataset-files';
import {
  ALL_TOPICS,
  AVRO_TOPICS,
  type AvroSerdes,
  createAvroSerdes,
  createSchemaRegistryClient,
  ensureTopics,
  type FxRateRecord,
  fetchPartitionCounts,
  type KafkaClientName,
  type MarketTickRecord,
  openRecordProducer,
  openTopicAdmin,
  registerTopicSchemas,
  topicNames,
} from '@indexflow/kafka';
import cliProgress from 'cli-progress';
import { type ProduceSummary, produceDataset } from './produce-dataset.js';

/** Data rows of a CSV file (lines minus the header), counted in 1 MiB chunks for the progress bar's total. */
function countRows(path: string): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let lines = 0;
  let last = 10;
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      for (let i = 0; i < n; i += 1) if (buffer[i] === 10) lines += 1;
      last = buffer[n - 1]!;
    }
  } finally {
    closeSync(fd);
  }
  return Math.max(0, lines + (last === 10 ? 0 : 1) - 1);
}

export interface ReplayToKafkaOptions {
  readonly datasetDir: string;
  readonly brokers: string;
  /** Client of topic set-up and of the producer. */
  readonly client: KafkaClientName;
  readonly registryUrl: string;
  readonly topicPrefix: string;
  readonly speed: number | 'max';
  readonly from?: number;
  readonly to?: number;
  readonly progress: boolean;
  readonly quiet: boolean;
}

/** `indexflow replay <dir> --kafka`: the dataset's ticks and FX onto the live topics, with a progress bar. */
export async function replayToKafka(options: ReplayToKafkaOptions): Promise<ProduceSummary> {
  const topics = topicNames(options.topicPrefix);
  const admin = await openTopicAdmin({
    client: options.client,
    brokers: options.brokers.split(','),
    clientId: 'indexflow-replay',
  });
  let partitions: ReadonlyMap<string, number>;
  try {
    await ensureTopics(
      admin,
      ALL_TOPICS.map((t) => ({ ...t, name: `${options.topicPrefix}${t.name}` })),
    );
    partitions = await fetchPartitionCounts(admin, [topics.ticksAshare, topics.ticksHk, topics.fx]);
  } finally {
    await admin.close();
  }
  const registry = createSchemaRegistryClient({ url: options.registryUrl });
  await registerTopicSchemas(registry, {
    topics: AVRO_TOPICS.map((t) => ({ name: `${options.topicPrefix}${t.name}`, schema: t.schema })),
  });
  const producer = await openRecordProducer({
    client: options.client,
    brokers: options.brokers.split(','),
    clientId: 'indexflow-replay',
  });
  const total =
    countRows(join(options.datasetDir, 'ticks.csv')) + countRows(join(options.datasetDir, 'fx.csv'));
  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format:
            'replay → kafka [{bar}] {percentage}% | {value}/{total} records | {rate}/s | ETA {eta_formatted}',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const started = Date.now();
  bar?.start(total, 0, { rate: 0 });
  const tickSerdes = new Map<string, AvroSerdes<MarketTickRecord>>();
  try {
    return await produceDataset({
      datasetDir: options.datasetDir,
      producer,
      topics,
      tickSerdes: (topic) => {
        let serdes = tickSerdes.get(topic);
        if (!serdes) {
          serdes = createAvroSerdes<MarketTickRecord>(registry, topic);
          tickSerdes.set(topic, serdes);
        }
        return serdes;
      },
      fxSerdes: createAvroSerdes<FxRateRecord>(registry, topics.fx),
      speed: options.speed,
      partitions: (topic) => partitions.get(topic) ?? 1,
      ...(options.from === undefined ? {} : { from: options.from }),
      ...(options.to === undefined ? {} : { to: options.to }),
      onIssue: (issue) => {
        if (!options.quiet) process.stderr.write(`\n${formatIssue(issue)}\n`);
      },
      onProgress: (produced) =>
        bar?.update(produced, {
          rate: Math.round(produced / Math.max(0.001, (Date.now() - started) / 1000)),
        }),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
    });
  } finally {
    bar?.stop();
    await producer.close();
  }
}
