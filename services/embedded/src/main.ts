#!/usr/bin/env node
/**
 * `pnpm start`: IndexFlow in one process. Corporate-action announcements go through the
 * corporate-actions register; the market simulator writes a trading day of the seed indices (its
 * prices moved by the accepted actions); FX quotes go through the FX service's filter; the
 * calculator's pipeline runs the day through the same engine, recovery and conflation code as the
 * Kafka service, with in-memory adapters behind the same ports; the desk gateway serves the
 * committed levels; the terminal shows live levels, then each index's close.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandCalendarFiles, LevelsCsvWriter, loadMarketCalendar } from '@indexflow/dataset-files';
import { Command } from 'commander';
import { CloseSummary } from './close-summary.js';
import { FlagError, integerFlag } from './flag-error.js';
import { runInMemory } from './in-memory-run.js';
import { type RealServices, runOnRealServices } from './kafka-mode.js';
import { LiveBoard } from './live-board.js';

const CLI = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));

interface Flags {
  days: string;
  seed: string;
  speed: string;
  out: string;
  datasetDir?: string;
  replay?: string;
  snapshotIntervalMs?: string;
  quiet?: boolean;
  fxMaxJump: string;
  actions?: string;
  port: string;
  gateway: boolean;
  serve?: boolean;
  calendar?: string[];
}

/** Resolves on the first SIGINT (Ctrl-C). */
function interrupted(): Promise<void> {
  return new Promise((resolve) => process.once('SIGINT', () => resolve()));
}

async function main(flags: Flags): Promise<void> {
  const speed = flags.speed === 'max' ? 'max' : Number(flags.speed);
  if (speed !== 'max' && !(speed > 0))
    throw new FlagError('--speed', flags.speed, 'a positive number or "max"');
  if (flags.replay !== undefined) {
    if (flags.actions !== undefined)
      throw new FlagError(
        '--actions',
        flags.actions,
        "left out with --replay (the dataset's actions.csv applies)",
      );
    if (flags.datasetDir !== undefined)
      throw new FlagError(
        '--dataset-dir',
        flags.datasetDir,
        'left out with --replay (the dataset is read in place)',
      );
    return runDay(flags, speed, resolve(flags.replay), true);
  }
  if (flags.datasetDir !== undefined) return runDay(flags, speed, resolve(flags.datasetDir), false);
  // The simulated day is kept only where the user asked (--dataset-dir).
  const temporary = mkdtempSync(join(tmpdir(), 'indexflow-day-'));
  try {
    await runDay(flags, speed, temporary, false);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** The day in `datasetDir`: simulated into it first unless `recorded` (`--replay`). */
async function runDay(
  flags: Flags,
  speed: number | 'max',
  datasetDir: string,
  recorded: boolean,
): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL } = process.env;
  // Read (and refused, naming the file) before anything runs, in either mode.
  const calendarFiles = commandCalendarFiles(flags.calendar, process.env.MARKET_CALENDAR_FILES);
  const calendar = loadMarketCalendar(calendarFiles);
  if (!(KAFKA_BROKERS && SCHEMA_REGISTRY_URL && REDIS_URL)) {
    await runInMemory({
      calendar,
      datasetDir,
      recorded,
      out: resolve(flags.out),
      seed: integerFlag('--seed', flags.seed, 0, 0xffffffff),
      days: integerFlag('--days', flags.days, 1),
      ...(flags.snapshotIntervalMs === undefined
        ? {}
        : { snapshotIntervalMs: integerFlag('--snapshot-interval-ms', flags.snapshotIntervalMs, 3000) }),
      speed,
      fxMaxJump: flags.fxMaxJump,
      ...(flags.actions === undefined ? {} : { actionsFile: resolve(flags.actions) }),
      gatewayPort: flags.gateway ? integerFlag('--port', flags.port, 0, 65535) : null,
      serve: flags.serve === true,
      quiet: flags.quiet === true,
      stdout: process.stdout,
      log,
      now: () => Date.now(),
      stopped: interrupted(),
    });
    return;
  }
  // The calculator process reads the calendar files as deployed: from MARKET_CALENDAR_FILES.
  if (calendarFiles.length > 0)
    process.env.MARKET_CALENDAR_FILES = calendarFiles.map((f) => resolve(f)).join(',');
  await runKafkaDay(flags, datasetDir, recorded, { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL });
}

/** The day on the real services of the environment: the calculator process and Kafka. */
async function runKafkaDay(
  flags: Flags,
  datasetDir: string,
  recorded: boolean,
  services: RealServices,
): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!recorded) simulateInto(flags, datasetDir);
  // A fresh topic namespace per run unless one is given, so a new simulated day never lands
  // behind the last run's state (its events would be refused as out of order).
  const topicPrefix = process.env.TOPIC_PREFIX ?? `embedded-${Date.now()}.`;
  log(`embedded: on real services (topics under "${topicPrefix}")`);
  const board = flags.quiet ? null : new LiveBoard(process.stdout, () => Date.now(), 500);
  const closes = new CloseSummary();
  const rows: Array<{ indexId: string; sequence: number; row: string }> = [];
  await runOnRealServices({
    services,
    datasetDir,
    speed: flags.speed,
    topicPrefix,
    log,
    onLevels: (levels) => {
      for (const level of levels) {
        closes.add(level);
        rows.push(level);
      }
      board?.update(levels);
    },
    onCloses: (records) => {
      for (const close of records) closes.addClose(close);
    },
  });
  board?.draw();
  // Kafka orders levels per index, not across indices: the file is sorted by index, then sequence.
  rows.sort((a, b) => (a.indexId === b.indexId ? a.sequence - b.sequence : a.indexId < b.indexId ? -1 : 1));
  const writer = new LevelsCsvWriter(resolve(flags.out));
  writer.writeRows(rows.map((r) => r.row));
  writer.close();
  process.stdout.write(`\n${closes.table()}\n`);
  log(
    `embedded: ${rows.length.toLocaleString('en-US')} levels read back from Kafka; levels in ${resolve(flags.out)}`,
  );
}

/** `indexflow simulate` of the days asked for, into `datasetDir`. */
function simulateInto(flags: Flags, datasetDir: string): void {
  const simulate = [
    '--import',
    'tsx',
    CLI,
    'simulate',
    '--out',
    datasetDir,
    '--days',
    flags.days,
    '--seed',
    flags.seed,
  ];
  if (flags.snapshotIntervalMs) simulate.push('--snapshot-interval-ms', flags.snapshotIntervalMs);
  execFileSync(process.execPath, simulate, { stdio: ['ignore', 'ignore', 'inherit'] });
}

const program = new Command()
  .name('indexflow-embedded')
  .description(
    'simulate a trading day of the seed indices and calculate it live in one process (in-memory bus and state), with corporate actions, the FX filter and the desk gateway',
  )
  .option('--days <n>', 'trading days to simulate', '1')
  .option('--seed <n>', 'simulator seed (same seed, same day, same levels)', '1')
  .option('--speed <x>', 'event time per wall-clock time (3600 = an hour a second) or "max"', '3600')
  .option('--out <file>', 'levels CSV (the offline replay format)', 'levels.csv')
  .option('--dataset-dir <dir>', 'keep the simulated dataset here (default: a temporary directory)')
  .option(
    '--replay <dataset-dir>',
    'calculate this recorded dataset (the `indexflow replay` format, e.g. packages/seed-indices/sample) instead of simulating days; --days, --seed and --snapshot-interval-ms do not apply',
  )
  .option('--snapshot-interval-ms <ms>', 'A-share snapshot interval of the simulator (multiple of 3000)')
  .option('--fx-max-jump <fraction>', 'FX filter: largest accepted move of a pair (as FX_MAX_JUMP)', '0.05')
  .option(
    '--actions <file>',
    'corporate-action announcements (the `indexflow actions import` CSV); default: a bonus issue and an HKD dividend on the first day',
  )
  .option('--port <n>', 'desk gateway port on 127.0.0.1 (0: any free port)', '8080')
  .option('--no-gateway', 'do not serve the desk gateway')
  .option('--serve', 'keep serving the desk gateway after the day until Ctrl-C')
  .option('--quiet', 'no live board')
  .option(
    '--calendar <file>',
    'market calendar file of a year not bundled, or a correction of one (repeat or comma-separate; default MARKET_CALENDAR_FILES)',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .addHelpText(
    'after',
    '\nWith KAFKA_BROKERS, SCHEMA_REGISTRY_URL and REDIS_URL set, the day runs on those services instead;\n--fx-max-jump, --actions, --port, --no-gateway and --serve apply to the in-memory run only.\n',
  )
  .action(async (flags: Flags) => {
    await main(flags);
  });

// `pnpm start -- --serve` hands the separator on; what follows it is still this command's.
const argv =
  process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
program.parseAsync(argv).then(
  // The in-memory run leaves nothing open but the SIGINT listener; exit rather than wait on it.
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`indexflow-embedded: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
