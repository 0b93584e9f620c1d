import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ActionsFileError } from '@indexflow/corporate-actions';
import { DatasetError, readIndexDefinitions } from '@indexflow/dataset-files';
import {
  createRecordReader,
  createSchemaRegistryClient,
  eodHistoryGroupId,
  type IndexCloseRecord,
  topicNames,
} from '@indexflow/kafka';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import type { Command } from 'commander';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { startCloseHistoryConsumer } from '../eod/close-history-consumer.js';
import { EodUsageError, openCloseHistory } from '../eod/close-history-from-env.js';
import { renderClosingFile } from '../eod/closing-file.js';
import { type ConstituentInfo, readConstituentInfo } from '../eod/constituent-info.js';
import { EodInputError, OpeningFileError } from '../eod/eod-errors.js';
import { buildOpeningFile, nextWeekday } from '../eod/opening-file.js';
import { renderOpeningFile } from '../eod/opening-file-render.js';
import { readActionsFile } from '../eod/read-actions-file.js';
import { readCloseFromFile } from '../eod/read-closes-file.js';
import { cliKafkaClient, KAFKA_CLIENT_HELP } from '../kafka/cli-kafka-client.js';

interface ExportFlags {
  index: string;
  date: string;
  format: string;
  out?: string;
  definitions?: string;
  opening?: boolean;
  actions?: string;
  openingDate?: string;
  closes?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fail(error: unknown): void {
  const usage =
    error instanceof EodUsageError ||
    error instanceof EodInputError ||
    error instanceof OpeningFileError ||
    error instanceof ActionsFileError ||
    error instanceof DatasetError;
  if (!usage) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exitCode = 2;
}

/**
 * The next trading date's opening file: the close of --date with the actions of the dates after
 * it up to the opening date applied by the engine. Without --actions no action applies (said on
 * stderr, since a missing file and a quiet day look the same in the output).
 */
function openingText(
  close: IndexCloseRecord,
  flags: ExportFlags,
  definitionsDir: string,
  info: ReadonlyMap<string, ConstituentInfo>,
  format: 'csv' | 'json',
): string {
  const openingDate = flags.openingDate ?? nextWeekday(flags.date);
  const adjustments = flags.actions === undefined ? [] : readActionsFile(resolve(flags.actions));
  if (flags.actions === undefined)
    process.stderr.write(`no --actions: the opening file of ${openingDate} applies no corporate action\n`);
  const rounding = readIndexDefinitions(definitionsDir).find(
    (d) => d.id === flags.index,
  )?.referencePriceRounding;
  const file = buildOpeningFile({
    close,
    openingDate,
    adjustments,
    ...(rounding === undefined ? {} : { referencePriceRounding: rounding }),
  });
  process.stderr.write(
    `opening ${file.indexId} ${file.openingDate}: ${file.actions.length} action(s) applied, level ${file.openingLevel} (close ${file.closeLevel})\n`,
  );
  return renderOpeningFile(file, info, format);
}

async function exportAction(flags: ExportFlags): Promise<void> {
  if (flags.format !== 'csv' && flags.format !== 'json')
    throw new EodUsageError(`--format was "${flags.format}", expected csv or json`);
  if (!DATE.test(flags.date)) throw new EodUsageError(`--date was "${flags.date}", expected YYYY-MM-DD`);
  if (!flags.opening && (flags.actions !== undefined || flags.openingDate !== undefined))
    throw new EodUsageError('--actions and --opening-date need --opening');
  if (flags.openingDate !== undefined && !DATE.test(flags.openingDate))
    throw new EodUsageError(`--opening-date was "${flags.openingDate}", expected YYYY-MM-DD`);
  const close = await findClose(flags);
  const definitionsDir = resolve(flags.definitions ?? SAMPLE_DIR);
  const info = readConstituentInfo(definitionsDir, flags.index);
  const text = flags.opening
    ? openingText(close, flags, definitionsDir, info, flags.format)
    : renderClosingFile(close, info, flags.format);
  if (flags.out === undefined || flags.out === '-') process.stdout.write(text);
  else {
    const out = resolve(flags.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    process.stderr.write(`${flags.opening ? 'opening' : 'closing'} file written to ${out}\n`);
  }
}

/** The close of --index on --date: from --closes (JSON Lines) when given, else the Redis close history. */
async function findClose(flags: ExportFlags): Promise<IndexCloseRecord> {
  if (flags.closes !== undefined) {
    const close = readCloseFromFile(resolve(flags.closes), flags.index, flags.date);
    if (close === null)
      throw new EodUsageError(`no close of ${flags.index} on ${flags.date} in ${flags.closes}`);
    return close;
  }
  const { history, redis } = await openCloseHistory(process.env);
  try {
    const close = await history.get(flags.index, flags.date);
    if (close === null) {
      const dates = (await history.range(flags.index)).map((c) => c.tradingDate);
      throw new EodUsageError(
        `no close of ${flags.index} on ${flags.date} in the history; it has ${dates.length ? dates.join(', ') : 'none'}`,
      );
    }
    return close;
  } finally {
    redis.disconnect();
  }
}

async function consumeAction(): Promise<void> {
  const brokers = process.env.KAFKA_BROKERS;
  const registryUrl = process.env.SCHEMA_REGISTRY_URL;
  if (!brokers || !registryUrl) throw new EodUsageError('set KAFKA_BROKERS and SCHEMA_REGISTRY_URL');
  const prefix = process.env.TOPIC_PREFIX ?? '';
  const client = cliKafkaClient();
  const { history, redis } = await openCloseHistory(process.env);
  const consumer = await startCloseHistoryConsumer({
    reader: createRecordReader({ client, brokers: brokers.split(','), clientId: 'indexflow-eod' }),
    registry: createSchemaRegistryClient({ url: registryUrl }),
    topic: topicNames(prefix).indexCloses,
    groupId: eodHistoryGroupId(prefix),
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
  const eod = program.command('eod').description(COMMAND_SUMMARIES.eod);
  eod
    .command('consume')
    .description('copy the index-closes topic into the Redis close history until SIGINT/SIGTERM')
    .addHelpText('after', `\n${KAFKA_CLIENT_HELP}\n`)
    .action(() => consumeAction().catch(fail));
  eod
    .command('export')
    .description(
      "write the closing constituent file of one index and date from the close history, or with --opening the next trading date's opening file",
    )
    .requiredOption('--index <id>', 'index id, e.g. 995366.SSI')
    .requiredOption('--date <date>', 'trading date, YYYY-MM-DD')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'file to write (default: stdout)')
    .option(
      '--closes <closes.jsonl>',
      'read the close from this file (replay --closes, backfill --out) instead of Redis',
    )
    .option(
      '--definitions <dir>',
      'dataset directory whose indices/*.json give names, cap factors and reference-price rounding',
    )
    .option('--opening', "write the next trading date's opening file: the close after that date's actions")
    .option('--actions <actions.csv>', 'with --opening: corporate actions in the replay actions.csv format')
    .option(
      '--opening-date <date>',
      'with --opening: the next trading date (default: the next weekday; there is no holiday calendar)',
    )
    .action((flags: ExportFlags) => exportAction(flags).catch(fail));
}
