import { Dec, formatFixed } from '@indexflow/index-engine';
import {
  createAvroSerdes,
  createKafkaClient,
  createSchemaRegistryClient,
  type IndexLevelRecord,
  topicNames,
} from '@indexflow/kafka';
import type { Command } from 'commander';

interface SubscribeFlags {
  index?: string[];
  format: 'table' | 'json';
  conflated?: boolean;
  fromBeginning?: boolean;
  group?: string;
}

/** One level as a desk reads it in a terminal: time (Asia/Shanghai), index, level, change, sequence. */
export function formatLevelLine(record: IndexLevelRecord): string {
  const time = new Date(record.eventTime + 8 * 3_600_000).toISOString().slice(0, 23).replace('T', ' ');
  const change =
    record.change === null
      ? ''
      : `${new Dec(record.change).gte(0) ? '+' : ''}${formatFixed(new Dec(record.change), 4)}`;
  const pct = record.changePercent === null ? '' : `${formatFixed(new Dec(record.changePercent), 2)}%`;
  return `${time}  ${record.indexId.padEnd(12)} ${formatFixed(new Dec(record.level), 4).padStart(12)} ${change.padStart(10)} ${pct.padStart(8)}  #${record.sequence}${record.stale ? '  STALE FX' : ''}`;
}

export function registerSubscribeCommand(program: Command): void {
  program
    .command('subscribe')
    .description(
      'print live index levels from the index-level topic, decoded through the Schema Registry (read_committed)',
    )
    .option('--index <id...>', 'only these indices (default: all)')
    .option('--format <format>', 'table or json (one JSON record per line)', 'table')
    .option('--conflated', 'read the conflated topic (at most one level per index per interval)')
    .option('--from-beginning', 'start at the oldest retained level instead of now')
    .option('--group <id>', 'consumer group (default: a fresh one per run)')
    .addHelpText(
      'after',
      '\nNeeds KAFKA_BROKERS and SCHEMA_REGISTRY_URL (TOPIC_PREFIX optional).\nExample: pnpm indexflow subscribe --index 995366.SSI --format json\n',
    )
    .action(async (flags: SubscribeFlags) => {
      const brokers = process.env.KAFKA_BROKERS;
      const registryUrl = process.env.SCHEMA_REGISTRY_URL;
      if (!brokers || !registryUrl) {
        process.stderr.write(
          'error: subscribe needs KAFKA_BROKERS and SCHEMA_REGISTRY_URL (e.g. eval "$(bash scripts/services.sh env)")\n',
        );
        process.exitCode = 2;
        return;
      }
      if (flags.format !== 'table' && flags.format !== 'json') {
        process.stderr.write(`error: --format must be table or json, was ${flags.format}\n`);
        process.exitCode = 2;
        return;
      }
      const topics = topicNames(process.env.TOPIC_PREFIX ?? '');
      const topic = flags.conflated ? topics.indexLevelsConflated : topics.indexLevels;
      const wanted = flags.index === undefined ? null : new Set(flags.index);
      const kafka = createKafkaClient({ brokers: brokers.split(','), clientId: 'indexflow-subscribe' });
      const serdes = createAvroSerdes<IndexLevelRecord>(
        createSchemaRegistryClient({ url: registryUrl }),
        topic,
      );
      const consumer = kafka.consumer({
        groupId: flags.group ?? `indexflow-subscribe-${process.pid}-${Date.now()}`,
        readUncommitted: false,
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: flags.fromBeginning ?? false });
      const stop = async () => {
        await consumer.disconnect();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
      await consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value === null) return;
          const record = await serdes.deserialize(message.value);
          if (wanted !== null && !wanted.has(record.indexId)) return;
          process.stdout.write(
            `${flags.format === 'json' ? JSON.stringify(record) : formatLevelLine(record)}\n`,
          );
        },
      });
    });
}
