import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  ClosesFileWriter,
  DatasetError,
  type DatasetIssue,
  formatIssue,
  LevelsCsvWriter,
  parseTimestamp,
  replayDataset,
  shanghaiDate,
} from '@indexflow/dataset-files';
import { FxFilterOptionError, type IndexLevel, type OfficialClose } from '@indexflow/index-engine';
import type { Command } from 'commander';
import { type CalendarFlags, calendarOption, commandCalendar, warnCalendarGap } from '../calendar-option.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { cliKafkaClient, KAFKA_CLIENT_HELP } from '../kafka/cli-kafka-client.js';
import { replayToKafka } from '../kafka/replay-to-kafka.js';
import { closesTable } from './replay-closes-table.js';

interface ReplayFlags extends CalendarFlags {
  out: string;
  closes?: string;
  kafka?: boolean;
  speed: string;
  from?: string;
  to?: string;
  strict?: boolean;
  quiet?: boolean;
  fxMaxAgeMs?: string;
  fxMaxJump?: string;
  rejectUnknownSymbols?: boolean;
}

async function replayKafkaAction(datasetDir: string, flags: ReplayFlags): Promise<void> {
  const fail = (message: string) => {
    process.stderr.write(`error: ${message}\n`);
    process.exitCode = 2;
  };
  if (flags.calendar !== undefined)
    return fail(
      '--calendar is for the offline replay; with --kafka the calculator reads MARKET_CALENDAR_FILES',
    );
  const brokers = process.env.KAFKA_BROKERS;
  const registryUrl = process.env.SCHEMA_REGISTRY_URL;
  if (!brokers || !registryUrl)
    return fail(
      '--kafka needs KAFKA_BROKERS and SCHEMA_REGISTRY_URL (e.g. eval "$(bash scripts/services.sh env)")',
    );
  const speed = flags.speed === 'max' ? 'max' : Number(flags.speed);
  if (speed !== 'max' && !(speed > 0))
    return fail(`--speed must be a positive number or "max", was ${flags.speed}`);
  const time = (text: string | undefined, name: string): number | undefined | null => {
    if (text === undefined) return undefined;
    const parsed = parseTimestamp(text);
    if (parsed === null) fail(`${name} must be ISO-8601 with an offset or epoch ms, was ${text}`);
    return parsed;
  };
  const from = time(flags.from, '--from');
  const to = time(flags.to, '--to');
  if (from === null || to === null) return;
  const summary = await replayToKafka({
    datasetDir: resolve(datasetDir),
    brokers,
    client: cliKafkaClient(),
    registryUrl,
    topicPrefix: process.env.TOPIC_PREFIX ?? '',
    speed,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    progress: process.stderr.isTTY === true && !flags.quiet,
    quiet: flags.quiet ?? false,
  });
  process.stderr.write(
    `replay → kafka: ${summary.ticks} ticks, ${summary.fxRates} fx rates in ${(summary.durationMs / 1000).toFixed(2)} s; rejected ${summary.rejected}\n`,
  );
  if (flags.strict && summary.rejected > 0) process.exitCode = 1;
}

export function registerReplayCommand(program: Command): void {
  const command = program
    .command('replay')
    .description(COMMAND_SUMMARIES.replay)
    .argument('<dataset-dir>', 'dataset directory')
    .option('--out <file>', 'levels CSV to write (- for stdout)', 'levels.csv')
    .option(
      '--closes <file>',
      'also write the official closes: JSON Lines with constituents, or a date,index,close,… summary for a .csv path',
    )
    .option('--strict', 'exit non-zero when any row or event was rejected')
    .option('--quiet', 'do not print rejected rows, progress or the closes table')
    .option('--fx-max-age-ms <ms>', 'refuse HK ticks priced with an HKDCNY rate older than this')
    .option(
      '--fx-max-jump <fraction>',
      'run FX through the FX service filter (per-pair order, this jump band, e.g. 0.05, USD cross) as the live pipeline does',
    )
    .option(
      '--reject-unknown-symbols',
      'report ticks of symbols in no index (default: keep their price silently)',
    )
    .option(
      '--kafka',
      'produce the ticks and FX to the live Kafka topics instead (needs KAFKA_BROKERS, SCHEMA_REGISTRY_URL; TOPIC_PREFIX optional)',
    )
    .option(
      '--speed <x>',
      'with --kafka: pacing relative to the original event times (2 = twice as fast) or "max"',
      'max',
    )
    .option('--from <time>', 'with --kafka: first event time to produce (ISO-8601 with offset, or epoch ms)')
    .option('--to <time>', 'with --kafka: produce events before this time only');
  calendarOption(command)
    .addHelpText(
      'after',
      `\nWith --kafka: ${KAFKA_CLIENT_HELP}\n\nExamples:\n  pnpm indexflow replay packages/seed-indices/sample --out levels.csv\n  pnpm indexflow replay ./my-dataset --out - --strict > levels.csv\n`,
    )
    .action(async (datasetDir: string, flags: ReplayFlags) => {
      if (flags.kafka) {
        await replayKafkaAction(datasetDir, flags);
        return;
      }
      // Before any output file is opened: a bad calendar file leaves an existing one alone.
      const calendar = commandCalendar(flags);
      const out = flags.out === '-' ? '-' : resolve(flags.out);
      if (out !== '-') mkdirSync(dirname(out), { recursive: true });
      const writer = new LevelsCsvWriter(out);
      let closesWriter: ClosesFileWriter | null = null;
      if (flags.closes !== undefined) {
        const closesPath = resolve(flags.closes);
        mkdirSync(dirname(closesPath), { recursive: true });
        closesWriter = new ClosesFileWriter(closesPath);
      }
      const lastLevels = new Map<string, IndexLevel>();
      const officialCloses = new Map<string, OfficialClose>();
      const interactive = process.stderr.isTTY && !flags.quiet;
      const maxAge = flags.fxMaxAgeMs === undefined ? undefined : Number(flags.fxMaxAgeMs);
      if (maxAge !== undefined && !(Number.isFinite(maxAge) && maxAge >= 0)) {
        process.stderr.write(
          `error: --fx-max-age-ms must be a non-negative number, was ${flags.fxMaxAgeMs}\n`,
        );
        process.exitCode = 2;
        return;
      }
      let summary: Awaited<ReturnType<typeof replayDataset>>;
      try {
        summary = await replayDataset(resolve(datasetDir), {
          onLevel: (level) => {
            writer.write(level);
            lastLevels.set(`${shanghaiDate(level.eventTime)}|${level.indexId}`, level);
          },
          onClose: (close) => {
            officialCloses.set(`${close.tradingDate}|${close.indexId}`, close);
            closesWriter?.write(close);
          },
          onIssue: (issue: DatasetIssue) => {
            if (!flags.quiet) process.stderr.write(`${formatIssue(issue)}\n`);
          },
          onCalendarGap: warnCalendarGap,
          onProgress: interactive
            ? (n) => process.stderr.write(`\r${n.toLocaleString('en-US')} events…`)
            : undefined,
          engine: {
            ...(maxAge === undefined ? {} : { fxMaxAgeMs: maxAge }),
            rejectUnknownSymbols: flags.rejectUnknownSymbols ?? false,
            calendar,
          },
          ...(flags.fxMaxJump === undefined ? {} : { fxFilter: { maxJump: flags.fxMaxJump } }),
        });
      } catch (error) {
        writer.close();
        closesWriter?.close();
        if (error instanceof DatasetError || error instanceof FxFilterOptionError) {
          process.stderr.write(`error: ${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw error;
      }
      writer.close();
      closesWriter?.close();
      if (interactive) process.stderr.write('\r');
      const seconds = summary.durationMs / 1000;
      const rate = seconds > 0 ? Math.round(summary.ticks / seconds) : summary.ticks;
      const reasons = Object.entries(summary.rejectedByReason)
        .map(([r, n]) => `${r}=${n}`)
        .join(' ');
      process.stderr.write(
        `replay: ${summary.indices} indices, ${summary.ticks} ticks, ${summary.fxRates} fx rates, ${summary.adjustments} ex-dates → ${summary.levels} levels` +
          ` in ${seconds.toFixed(2)} s (${rate.toLocaleString('en-US')} ticks/s); rejected ${summary.rejected}${reasons ? ` (${reasons})` : ''}\n`,
      );
      if (!flags.quiet && out !== '-')
        process.stdout.write(`${closesTable(officialCloses, lastLevels)}\nlevels written to ${out}\n`);
      if (flags.strict && summary.rejected > 0) process.exitCode = 1;
    });
}
