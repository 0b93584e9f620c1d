import { parseTimestamp } from '@indexflow/dataset-files';
import { Dec, formatFixed } from '@indexflow/index-engine';
import {
  type AvroSerdes,
  createAvroSerdes,
  createRecordReader,
  createSchemaRegistryClient,
  type IndexLevelRecord,
  type PartitionStart,
  type RecordBatch,
  type RecordReader,
  SUBSCRIBE_CLIENT_ID,
  topicNames,
} from '@indexflow/kafka';
import { formatLocalDateTime } from '@indexflow/market-calendar';
import type { Command } from 'commander';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { cliKafkaClient, KAFKA_CLIENT_HELP } from '../kafka/cli-kafka-client.js';

interface SubscribeFlags {
  index?: string[];
  format: 'table' | 'json';
  conflated?: boolean;
  fromBeginning?: boolean;
  from?: string;
  group?: string;
}

/** One level as a desk reads it in a terminal: time (Asia/Shanghai), index, level, change, sequence. */
export function formatLevelLine(record: IndexLevelRecord): string {
  const time = formatLocalDateTime(record.eventTime, 'SH', { millis: true });
  const change =
    record.change === null
      ? ''
      : `${new Dec(record.change).gte(0) ? '+' : ''}${formatFixed(new Dec(record.change), 4)}`;
  const pct = record.changePercent === null ? '' : `${formatFixed(new Dec(record.changePercent), 2)}%`;
  return `${time}  ${record.indexId.padEnd(12)} ${formatFixed(new Dec(record.level), 4).padStart(12)} ${change.padStart(10)} ${pct.padStart(8)}  #${record.sequence}${record.stale ? '  STALE FX' : ''}`;
}

/** Where each partition starts without a group: its oldest level, the first at or after a time, or its end. */
async function startsOf(reader: RecordReader, topic: string, from: 'beginning' | 'now' | number) {
  const positions =
    typeof from === 'number'
      ? await reader.offsetsForTime(topic, from)
      : (await reader.partitionOffsets(topic)).map(({ partition, low, high }) => ({
          partition,
          offset: from === 'beginning' ? low : high,
        }));
  return positions.map(({ partition, offset }): PartitionStart => ({ topic, partition, offset }));
}

function printer(serdes: AvroSerdes<IndexLevelRecord>, flags: SubscribeFlags) {
  const wanted = flags.index === undefined ? null : new Set(flags.index);
  // A level that does not decode (say, the registry is down) fails the batch, which is read again.
  return async (batch: RecordBatch) => {
    for (const message of batch.records) {
      if (message.value === null) continue;
      const record = await serdes.deserialize(message.value);
      if (wanted !== null && !wanted.has(record.indexId)) continue;
      process.stdout.write(`${flags.format === 'json' ? JSON.stringify(record) : formatLevelLine(record)}\n`);
    }
  };
}

function usageProblem(flags: SubscribeFlags, env: NodeJS.ProcessEnv): string | number | undefined {
  if (!env.KAFKA_BROKERS || !env.SCHEMA_REGISTRY_URL)
    return 'subscribe needs KAFKA_BROKERS and SCHEMA_REGISTRY_URL (e.g. eval "$(bash scripts/services.sh env)")';
  if (flags.format !== 'table' && flags.format !== 'json')
    return `--format must be table or json, was ${flags.format}`;
  if (flags.from === undefined) return undefined;
  if (flags.fromBeginning || flags.group !== undefined)
    return '--from cannot be combined with --from-beginning or --group';
  return (
    parseTimestamp(flags.from) ?? `--from must be ISO-8601 with an offset or epoch ms, was ${flags.from}`
  );
}

export function registerSubscribeCommand(program: Command): void {
  program
    .command('subscribe')
    .description(COMMAND_SUMMARIES.subscribe)
    .option('--index <id...>', 'only these indices (default: all)')
    .option('--format <format>', 'table or json (one JSON record per line)', 'table')
    .option('--conflated', 'read the conflated topic (at most one level per index per interval)')
    .option('--from-beginning', 'start at the oldest retained level instead of now')
    .option(
      '--from <time>',
      'start at the first level published at or after this time (ISO-8601 with offset, or epoch ms; by Kafka record time)',
    )
    .option(
      '--group <id>',
      'consumer group whose committed offsets to resume from and commit (default: none)',
    )
    .addHelpText(
      'after',
      `\nNeeds KAFKA_BROKERS and SCHEMA_REGISTRY_URL (TOPIC_PREFIX optional).\n${KAFKA_CLIENT_HELP}\nExample: pnpm indexflow subscribe --index 995366.SSI --format json\n`,
    )
    .action(async (flags: SubscribeFlags) => {
      const problem = usageProblem(flags, process.env);
      if (typeof problem === 'string') {
        process.stderr.write(`error: ${problem}\n`);
        process.exitCode = 2;
        return;
      }
      const client = cliKafkaClient();
      const topics = topicNames(process.env.TOPIC_PREFIX ?? '');
      const topic = flags.conflated ? topics.indexLevelsConflated : topics.indexLevels;
      const serdes = createAvroSerdes<IndexLevelRecord>(
        createSchemaRegistryClient({ url: process.env.SCHEMA_REGISTRY_URL! }),
        topic,
      );
      const reader = createRecordReader({
        client,
        brokers: process.env.KAFKA_BROKERS!.split(','),
        clientId: SUBSCRIBE_CLIENT_ID,
      });
      const stop = async () => {
        await reader.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      const print = printer(serdes, flags);
      if (flags.group !== undefined) {
        await reader.readInGroup(
          { groupId: flags.group, topics: [topic], fromBeginning: flags.fromBeginning ?? false },
          print,
        );
        return;
      }
      const from = typeof problem === 'number' ? problem : flags.fromBeginning ? 'beginning' : 'now';
      await reader.readFrom(await startsOf(reader, topic, from), print);
    });
}
