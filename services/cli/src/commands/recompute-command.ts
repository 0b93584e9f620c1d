import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseTimestamp } from '@indexflow/dataset-files';
import type { Command } from 'commander';
import { type CalendarFlags, calendarOption, commandCalendar } from '../calendar-option.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { cliKafkaClient, KAFKA_CLIENT_HELP } from '../kafka/cli-kafka-client.js';
import { RecomputeError, RecomputeInterruptedError } from '../kafka/recompute-errors.js';
import { recomputeFromKafka } from '../kafka/recompute-from-kafka.js';
import { formatWindow } from '../kafka/recompute-window.js';

interface RecomputeFlags extends CalendarFlags {
  from: string;
  to?: string;
  index?: string[];
  outTopic?: string;
  out?: string;
  definitions?: string;
  fxMaxAgeMs?: string;
  quiet?: boolean;
}

const count = (n: number) => n.toLocaleString('en-US');

export function registerRecomputeCommand(program: Command): void {
  const command = program
    .command('recompute')
    .description(COMMAND_SUMMARIES.recompute)
    .requiredOption('--from <time>', 'window start, inclusive (ISO-8601 with offset, or epoch ms)')
    .option('--to <time>', 'window end, exclusive (default: the end of the input when the run starts)')
    .option('--index <id...>', 'publish only these indices (default: all)')
    .option(
      '--out-topic <topic>',
      'where the levels go (default: <TOPIC_PREFIX>indexflow.index-levels.recompute; never a live topic)',
    )
    .option('--out <file>', 'also write the levels to this levels.csv (offline replay format; - for stdout)')
    .option(
      '--definitions <dir>',
      'dataset directory with indices/*.json (default: INDEX_DEFINITIONS_DIR, else the seed indices)',
    )
    .option('--fx-max-age-ms <ms>', 'as the calculator’s FX_MAX_AGE_MS (default: that variable)')
    .option('--quiet', 'no progress bar');
  calendarOption(command)
    .addHelpText(
      'after',
      [
        '',
        'Needs KAFKA_BROKERS and SCHEMA_REGISTRY_URL; reads TOPIC_PREFIX, INDEX_DEFINITIONS_DIR, FX_MAX_AGE_MS,',
        'REJECT_UNKNOWN_SYMBOLS, LEVEL_CONSTITUENTS and MARKET_CALENDAR_FILES as the calculator does, so it',
        'computes what the calculator computed.',
        'The state at --from is rebuilt from offset 0 of every input partition (the levels at 10:00 depend on',
        'every earlier price, action and FX rate); all levels of one run are one Kafka transaction, tagged',
        'with the header indexflow-recompute-run.',
        KAFKA_CLIENT_HELP,
        '',
        'Example:',
        '  pnpm indexflow recompute --from 2025-03-21T10:00:00+08:00 --to 2025-03-21T10:05:00+08:00 \\',
        '    --index 995365.SSI --out levels-1000-1005.csv',
        '',
      ].join('\n'),
    )
    .action(async (flags: RecomputeFlags) => {
      const fail = (message: string) => {
        process.stderr.write(`error: ${message}\n`);
        process.exitCode = 2;
      };
      const brokers = process.env.KAFKA_BROKERS;
      const registryUrl = process.env.SCHEMA_REGISTRY_URL;
      if (!brokers || !registryUrl)
        return fail(
          'recompute needs KAFKA_BROKERS and SCHEMA_REGISTRY_URL (e.g. eval "$(bash scripts/services.sh env)")',
        );
      const from = parseTimestamp(flags.from);
      if (from === null) return fail(`--from must be ISO-8601 with an offset or epoch ms, was ${flags.from}`);
      const to = flags.to === undefined ? null : parseTimestamp(flags.to);
      if (to === null && flags.to !== undefined)
        return fail(`--to must be ISO-8601 with an offset or epoch ms, was ${flags.to}`);
      if (to !== null && to <= from) return fail(`--to must be after --from, was ${flags.to}`);
      const fxMaxAgeText = flags.fxMaxAgeMs ?? process.env.FX_MAX_AGE_MS;
      const fxMaxAgeMs = fxMaxAgeText === undefined ? undefined : Number(fxMaxAgeText);
      if (fxMaxAgeMs !== undefined && !(Number.isInteger(fxMaxAgeMs) && fxMaxAgeMs > 0))
        return fail(`--fx-max-age-ms (FX_MAX_AGE_MS) must be a positive integer, was ${fxMaxAgeText}`);
      const rejectUnknown = process.env.REJECT_UNKNOWN_SYMBOLS ?? 'false';
      const constituents = process.env.LEVEL_CONSTITUENTS ?? 'moved';
      if (constituents !== 'moved' && constituents !== 'none')
        return fail(`LEVEL_CONSTITUENTS must be moved or none, was ${constituents}`);
      if (rejectUnknown !== 'true' && rejectUnknown !== 'false')
        return fail(`REJECT_UNKNOWN_SYMBOLS must be true or false, was ${rejectUnknown}`);
      const calendar = commandCalendar(flags);
      const client = cliKafkaClient();
      const definitions = flags.definitions ?? process.env.INDEX_DEFINITIONS_DIR;
      const csvPath = flags.out === undefined || flags.out === '-' ? flags.out : resolve(flags.out);
      if (csvPath !== undefined && csvPath !== '-') mkdirSync(dirname(csvPath), { recursive: true });

      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const window = { from, to, indexIds: flags.index === undefined ? null : new Set(flags.index) };
      try {
        const summary = await recomputeFromKafka({
          brokers,
          client,
          registryUrl,
          topicPrefix: process.env.TOPIC_PREFIX ?? '',
          ...(flags.outTopic === undefined ? {} : { outTopic: flags.outTopic }),
          ...(definitions === undefined ? {} : { definitionsDir: resolve(definitions) }),
          engineOptions: {
            rejectUnknownSymbols: rejectUnknown === 'true',
            ...(fxMaxAgeMs === undefined ? {} : { fxMaxAgeMs }),
            contributions: constituents,
            calendar,
          },
          window,
          ...(csvPath === undefined ? {} : { csvPath }),
          progress: process.stderr.isTTY === true && !flags.quiet,
          signal: controller.signal,
        });
        const reasons = [...summary.rejectedByReason].map(([r, n]) => `${r}=${n}`).join(' ');
        const rejected = [...summary.rejectedByReason.values()].reduce((a, b) => a + b, 0);
        const perIndex = [...summary.levelsByIndex]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([id, n]) => `${id} ${count(n)}`)
          .join(', ');
        process.stderr.write(
          `recompute: ${summary.indices} indices, ${count(summary.recordsRead)} records read ` +
            `(${count(summary.stateEvents)} events before --from rebuilt the state, ${count(summary.windowEvents)} in the window) → ` +
            `${count(summary.levels)} levels of ${formatWindow(window)} to ${summary.outTopic} (run ${summary.runId})` +
            ` in ${(summary.durationMs / 1000).toFixed(2)} s; rejected ${rejected}${reasons ? ` (${reasons})` : ''}\n` +
            (perIndex ? `recompute: levels per index: ${perIndex}\n` : ''),
        );
        if (csvPath !== undefined && csvPath !== '-')
          process.stderr.write(`recompute: levels written to ${csvPath}\n`);
      } catch (error) {
        if (error instanceof RecomputeInterruptedError) {
          process.stderr.write(`recompute: ${error.message}\n`);
          process.exitCode = 130;
          return;
        }
        if (error instanceof RecomputeError) return fail(error.message);
        throw error;
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    });
}
