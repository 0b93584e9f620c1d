import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createKafkaClient, createSchemaRegistryClient, topicNames } from '@indexflow/kafka';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import type { Command } from 'commander';
import { startCloseHistoryConsumer } from '../eod/close-history-consumer.js';
import { EodUsageError, openCloseHistory } from '../eod/close-history-from-env.js';
import { renderClosingFile } from '../eod/closing-file.js';
import { readConstituentInfo } from '../eod/constituent-info.js';

interface ExportFlags {
  index: string;
  date: string;
  format: string;
  out?: string;
  definitions?: string;
}

function fail(error: unknown): void {
  if (!(error instanceof EodUsageError)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exitCode = 2;
}

async function exportAction(flags: ExportFlags): Promise<void> {
  if (flags.format !== 'csv' && flags.format !== 'json')
    throw new EodUsageError(`--format was "${flags.format}", expected csv or json`);
  const { history, redis } = await openCloseHistory(process.env);
  try {
    const close = await history.get(flags.index, flags.date);
    if (close === null) {
      const dates = (await history.range(flags.index)).map((c) => c.tradingDate);
      throw new EodUsageError(
        `no close of ${flags.index} on ${flags.date} in the history; it has ${dates.length ? dates.join(', ') : 'none'}`,
      );
    }
    const info = readConstituentInfo(resolve(flags.definitions ?? SAMPLE_DIR), flags.index);
    const text = renderClosingFile(close, info, flags.format);
    if (flags.out === undefined || flags.out === '-') process.stdout.write(text);
    else {
      const out = resolve(flags.out);
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, text);
      process.stderr.write(`closing file written to ${out}\n`);
    }
  } finally {
    redis.disconnect();
  }
}

async function consumeAction(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  const registryUrl = process.env.SCHEMA_REGISTRY_URL;
  if (!brokers || !registryUrl) throw new EodUsageError('set KAFKA_BROKERS and SCHEMA_REGISTRY_URL');
  const prefix = process.env.TOPIC_PREFIX ?? '';
  const { history, redis } = await openCloseHistory(process.env);
  const kafka = createKafkaClient({ brokers: brokers.split(','), clientId: 'indexflow-eod' });
  const consumer = await startCloseHistoryConsumer({
    kafka,
    registry: createSchemaRegistryClient({ url: registryUrl }),
    topic: topicNames(prefix).indexCloses,
    groupId: `indexflow-eod-${prefix}history`,
    history,
    onStored: (close) =>
      process.stderr.write(`stored ${close.indexId} ${close.tradingDate} ${close.level}\n`),
  });
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await consumer.stop();
  redis.disconnect();
}

/** Registers `indexflow eod`: the close-history consumer and the closing constituent file. */
export function registerEodCommand(program: Command): void {
  const eod = program.command('eod').description('official closes: history consumer and closing files');
  eod
    .command('consume')
    .description('copy the index-closes topic into the Redis close history until SIGINT/SIGTERM')
    .action(() => consumeAction().catch(fail));
  eod
    .command('export')
    .description('write the closing constituent file of one index and date from the close history')
    .requiredOption('--index <id>', 'index id, e.g. 995366.SSI')
    .requiredOption('--date <date>', 'trading date, YYYY-MM-DD')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'file to write (default: stdout)')
    .option('--definitions <dir>', 'dataset directory whose indices/*.json give names and cap factors')
    .action((flags: ExportFlags) => exportAction(flags).catch(fail));
}
