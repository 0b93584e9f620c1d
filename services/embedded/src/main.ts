#!/usr/bin/env node
/**
 * `pnpm start`: IndexFlow in one process. The market simulator writes a trading day of the seed
 * indices; the calculator's pipeline runs it through the same engine, recovery and conflation
 * code as the Kafka service, with in-memory adapters behind the same ports; the terminal shows
 * live levels, then each index's close.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetEvents, formatIssue, LevelsCsvWriter, readIndexDefinitions } from '@indexflow/dataset-files';
import { InMemoryEventSource, InMemoryLevelSink, InMemoryStateStore } from '@indexflow/in-memory';
import { formatFixed, tradingDayOf } from '@indexflow/index-engine';
import { createPipelineStats, recoverEngine, runPipeline } from '@indexflow/pipeline';
import { Command } from 'commander';
import { runOnRealServices } from './kafka-mode.js';
import { type BoardLevel, LiveBoard } from './live-board.js';
import { PacedEventSource } from './paced-event-source.js';

const CLI = fileURLToPath(new URL('../../cli/src/main.ts', import.meta.url));

interface Flags {
  days: string;
  seed: string;
  speed: string;
  out: string;
  datasetDir?: string;
  snapshotIntervalMs?: string;
  quiet?: boolean;
}

type DayLevels = { close: BoardLevel; high: BoardLevel; low: BoardLevel };

/** Tracks each (trading date, index)'s close, high and low as levels arrive. */
function trackCloses(closes: Map<string, DayLevels>, level: BoardLevel): void {
  const key = `${tradingDayOf(level.eventTime).date}|${level.indexId}`;
  const day = closes.get(key);
  if (!day) closes.set(key, { close: level, high: level, low: level });
  else {
    if (level.sequence > day.close.sequence) day.close = level;
    if (level.level.gt(day.high.level)) day.high = level;
    if (level.level.lt(day.low.level)) day.low = level;
  }
}

function closesTable(closes: Map<string, DayLevels>): string {
  const lines = ['date        index              close    change %        high         low'];
  for (const [key, { close, high, low }] of [...closes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [date, index] = key.split('|');
    const prev = close.prevClose;
    const pct = prev === null ? '' : `${formatFixed(close.level.minus(prev).div(prev).times(100), 2)}%`;
    lines.push(
      `${date}  ${index!.padEnd(12)} ${formatFixed(close.level, 4).padStart(12)} ${pct.padStart(9)} ${formatFixed(high.level, 4).padStart(11)} ${formatFixed(low.level, 4).padStart(11)}`,
    );
  }
  return lines.join('\n');
}

async function main(flags: Flags): Promise<void> {
  const speed = flags.speed === 'max' ? 'max' : Number(flags.speed);
  if (speed !== 'max' && !(speed > 0))
    throw new Error(`--speed must be a positive number or "max", was ${flags.speed}`);
  const datasetDir = resolve(flags.datasetDir ?? mkdtempSync(join(tmpdir(), 'indexflow-day-')));
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

  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL } = process.env;
  if (KAFKA_BROKERS && SCHEMA_REGISTRY_URL && REDIS_URL) {
    // A fresh topic namespace per run unless one is given, so a new simulated day never lands
    // behind the last run's state (its events would be refused as out of order).
    const topicPrefix = process.env.TOPIC_PREFIX ?? `embedded-${Date.now()}.`;
    process.stderr.write(`embedded: on real services (topics under "${topicPrefix}")\n`);
    const board = flags.quiet ? null : new LiveBoard(process.stdout, () => Date.now(), 500);
    const closes = new Map<string, DayLevels>();
    const rows: Array<{ indexId: string; sequence: number; row: string }> = [];
    await runOnRealServices({
      services: { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL },
      datasetDir,
      speed: flags.speed,
      topicPrefix,
      log: (line) => process.stderr.write(`${line}\n`),
      onLevels: (levels) => {
        for (const level of levels) {
          trackCloses(closes, level);
          rows.push(level);
        }
        board?.update(levels);
      },
    });
    board?.draw();
    // Kafka orders levels per index, not across indices: the file is sorted by index, then sequence.
    rows.sort((a, b) => (a.indexId === b.indexId ? a.sequence - b.sequence : a.indexId < b.indexId ? -1 : 1));
    const writer = new LevelsCsvWriter(resolve(flags.out));
    writer.writeRows(rows.map((r) => r.row));
    writer.close();
    process.stdout.write(`\n${closesTable(closes)}\n`);
    process.stderr.write(
      `embedded: ${rows.length.toLocaleString('en-US')} levels read back from Kafka; levels in ${resolve(flags.out)}\n`,
    );
    return;
  }

  const definitions = readIndexDefinitions(datasetDir);
  const events = [...datasetEvents(datasetDir, (issue) => process.stderr.write(`${formatIssue(issue)}\n`))];
  process.stderr.write(
    `embedded: ${definitions.length} indices, ${events.length.toLocaleString('en-US')} events simulated in ${datasetDir}\n`,
  );

  const logger = {
    info() {},
    warn: (obj: object, msg: string) => process.stderr.write(`${msg} ${JSON.stringify(obj)}\n`),
  };
  const inner = new InMemoryEventSource(events);
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const source = new PacedEventSource(inner, speed, () => Date.now(), sleep);
  const sink = new InMemoryLevelSink();
  const state = new InMemoryStateStore();
  const engineOptions = { rejectUnknownSymbols: true };
  const recovery = await recoverEngine({ definitions, engineOptions, sink, state, logger });
  await source.start(recovery.from);
  const writer = new LevelsCsvWriter(resolve(flags.out));
  const board = flags.quiet ? null : new LiveBoard(process.stdout, () => Date.now(), 500);
  const closes = new Map<string, DayLevels>();
  const stats = createPipelineStats();
  let stopping = false;
  process.on('SIGINT', () => {
    stopping = true;
  });
  await runPipeline({
    engine: recovery.engine,
    source,
    sink,
    state,
    stats,
    logger,
    batchSize: 200,
    batchWaitMs: 0,
    startVersion: recovery.version,
    alreadyPublished: recovery.alreadyPublished,
    isStopping: () => stopping || inner.exhausted,
    conflationIntervalMs: 1000,
    onCommitted: (levels) => {
      for (const level of levels) {
        writer.write(level);
        trackCloses(closes, level);
      }
      // Only the committed levels are shown, and the in-memory topic need not grow all day.
      sink.levels.length = 0;
      sink.conflated.length = 0;
      board?.update(levels);
    },
  });
  writer.close();
  board?.draw();
  const reasons = [...stats.rejectedByReason.entries()].map(([r, n]) => `${r}=${n}`).join(' ');
  process.stdout.write(`\n${closesTable(closes)}\n`);
  process.stderr.write(
    `embedded: ${stats.events.toLocaleString('en-US')} events → ${stats.levelsOut.toLocaleString('en-US')} levels in ${stats.batches} batches; rejected ${[...stats.rejectedByReason.values()].reduce((a, b) => a + b, 0)}${reasons ? ` (${reasons})` : ''}; levels in ${resolve(flags.out)}\n`,
  );
}

const program = new Command()
  .name('indexflow-embedded')
  .description(
    'simulate a trading day of the seed indices and calculate it live in one process (in-memory bus and state)',
  )
  .option('--days <n>', 'trading days to simulate', '1')
  .option('--seed <n>', 'simulator seed (same seed, same day, same levels)', '1')
  .option('--speed <x>', 'event time per wall-clock time (3600 = an hour a second) or "max"', '3600')
  .option('--out <file>', 'levels CSV (the offline replay format)', 'levels.csv')
  .option('--dataset-dir <dir>', 'keep the simulated dataset here (default: a temporary directory)')
  .option('--snapshot-interval-ms <ms>', 'A-share snapshot interval of the simulator (multiple of 3000)')
  .option('--quiet', 'no live board')
  .action(async (flags: Flags) => {
    await main(flags);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`indexflow-embedded: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
