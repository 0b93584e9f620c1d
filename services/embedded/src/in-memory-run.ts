import { LevelsCsvWriter } from '@indexflow/dataset-files';
import { type InProcessGateway, startInProcessGateway } from '@indexflow/gateway';
import { InMemoryEventSource, InMemoryLevelSink, InMemoryStateStore } from '@indexflow/in-memory';
import type { IndexDefinition, IndexEvent } from '@indexflow/index-engine';
import type { MarketCalendar } from '@indexflow/market-calendar';
import { createPipelineStats, recoverEngine, runPipeline } from '@indexflow/pipeline';
import { pino } from 'pino';
import { CloseSummary } from './close-summary.js';
import { FlagError } from './flag-error.js';
import { LiveBoard } from './live-board.js';
import { PacedEventSource } from './paced-event-source.js';
import { type PrepareDayOptions, prepareDay } from './prepare-day.js';
import { recordedDay } from './recorded-day.js';

export interface InMemoryRunOptions extends PrepareDayOptions {
  readonly out: string;
  readonly speed: number | 'max';
  /** Port of the in-process desk gateway, or null for none. */
  readonly gatewayPort: number | null;
  /** Run the dataset already in `datasetDir` (`--replay`) instead of simulating days into it. */
  readonly recorded: boolean;
  /** Keep serving the gateway after the close summary until `stopped` resolves. */
  readonly serve: boolean;
  readonly quiet: boolean;
  readonly stdout: NodeJS.WriteStream;
  /** Resolves on Ctrl-C: stops the day early, or ends `serve`. */
  readonly stopped: Promise<void>;
  /** The engine's market calendar (`--calendar`, else MARKET_CALENDAR_FILES); default the bundled years. */
  readonly calendar?: MarketCalendar;
}

/**
 * The whole day in one process: the prepared day (prepare-day.ts) through the calculator's loop on
 * in-memory ports, the terminal board, and the desk gateway fed by the committed levels.
 */
export async function runInMemory(options: InMemoryRunOptions): Promise<void> {
  const { log } = options;
  // The gateway first: a busy port fails the run before the day is simulated.
  const sink = new InMemoryLevelSink();
  const state = new InMemoryStateStore();
  let gateway: InProcessGateway | null = null;
  if (options.gatewayPort !== null) {
    try {
      gateway = await startInProcessGateway({
        port: options.gatewayPort,
        logger: pino({ name: 'gateway', level: 'warn' }, pino.destination(2)),
        committedState: () => state.committed,
        ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw new FlagError(
        '--port',
        String(options.gatewayPort),
        'a free port on 127.0.0.1 (or pass --no-gateway)',
      );
    }
    log(`embedded: desk gateway at ${gateway.url} (open on loopback); dashboard ${gateway.dashboardUrl}`);
  }
  try {
    const day = options.recorded ? recordedDay(options) : prepareDay(options);
    await runDay(options, { ...day, sink, state, gateway });
    if (gateway !== null && options.serve) {
      log(`embedded: the day is over; serving ${gateway.dashboardUrl} until Ctrl-C`);
      await options.stopped;
    }
  } finally {
    await gateway?.close();
  }
}

async function runDay(
  options: InMemoryRunOptions,
  parts: {
    definitions: readonly IndexDefinition[];
    events: readonly IndexEvent[];
    sink: InMemoryLevelSink;
    state: InMemoryStateStore;
    gateway: InProcessGateway | null;
  },
): Promise<void> {
  const { definitions, sink, state, gateway } = parts;
  const logger = {
    info() {},
    warn: (obj: object, msg: string) => options.log(`${msg} ${JSON.stringify(obj)}`),
  };
  const inner = new InMemoryEventSource(parts.events);
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  const source = new PacedEventSource(inner, options.speed, options.now, sleep);
  const recovery = await recoverEngine({
    definitions,
    engineOptions: {
      rejectUnknownSymbols: true,
      ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
    },
    sink,
    state,
    logger,
  });
  await source.start(recovery.from);
  const writer = new LevelsCsvWriter(options.out);
  const board = options.quiet ? null : new LiveBoard(options.stdout, options.now, 500);
  const closes = new CloseSummary();
  const stats = createPipelineStats();
  let stopping = false;
  void options.stopped.then(() => {
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
    watermarkPassed: recovery.watermarkPassed,
    isStopping: () => stopping || inner.exhausted,
    conflationIntervalMs: 1000,
    onCommitted: (levels) => {
      for (const level of levels) {
        writer.write(level);
        closes.add(level);
      }
      for (const close of sink.closes) closes.addClose(close);
      gateway?.publish(levels);
      // Only the committed levels are shown, and the in-memory topic need not grow all day.
      sink.levels.length = 0;
      sink.conflated.length = 0;
      sink.closes.length = 0;
      board?.update(levels);
    },
  });
  writer.close();
  board?.draw();
  const reasons = [...stats.rejectedByReason.entries()].map(([r, n]) => `${r}=${n}`).join(' ');
  const rejected = [...stats.rejectedByReason.values()].reduce((a, b) => a + b, 0);
  options.stdout.write(`\n${closes.table()}\n`);
  options.log(
    `embedded: ${stats.events.toLocaleString('en-US')} events → ${stats.levelsOut.toLocaleString('en-US')} levels (${stats.batches} transactions, a count that depends on timing); rejected ${rejected}${reasons ? ` (${reasons})` : ''}; levels in ${options.out}`,
  );
}
