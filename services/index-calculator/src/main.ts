#!/usr/bin/env node
/**
 * index-calculator: consumes ticks, FX and index adjustments from Kafka, runs the index engine,
 * and publishes every level change to the index-level topic in Kafka transactions, with its
 * state in Redis. The only file that reads the environment or handles signals.
 */
import { localDateOf, VENUES } from '@indexflow/market-calendar';
import { createRootLogger, type Logger, startOpsServer } from '@indexflow/observability';
import { createCalculatorMetrics } from './calculator-metrics.js';
import { type CalculatorConfig, ConfigError, loadConfig } from './config.js';
import { ShardSupervisor } from './shard-supervisor.js';
import { startSingleCalculator } from './single-calculator.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`index-calculator: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createRootLogger({ name: 'index-calculator', level: config.LOG_LEVEL }).child({
    calculatorId: config.CALCULATOR_ID,
  });
  warnUncoveredYear(config, log);
  if (config.SHARDS > 1) {
    await runSharded(config, log);
    return;
  }
  const calculator = startSingleCalculator(config, log);
  const shutdown = (signal: string) => {
    log.info({ signal }, 'stopping: finishing the current batch');
    calculator.stop();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.exit(await calculator.done);
}

/**
 * Outside the calendar's years every weekday is a regular session: holidays and half days are not
 * known, and an official close can be taken at the wrong time. Said at start, not refused: the
 * input may be of another year (a backfill), and levels do not depend on the calendar.
 */
function warnUncoveredYear(config: CalculatorConfig, log: Logger): void {
  const today = localDateOf(Date.now(), 'ashare');
  const venues = VENUES.filter((venue) => !config.calendar.covers(today, venue));
  if (venues.length === 0) return;
  log.warn(
    { today, venues, calendarYears: config.calendar.years },
    'the market calendar does not cover this year: official closes take the regular session, without holidays or half days; give a calendar file (MARKET_CALENDAR_FILES, docs/closes-and-eod.md)',
  );
}

/** SHARDS > 1: this instance runs whichever shards the group assigns it, until a signal. */
async function runSharded(config: CalculatorConfig, log: Logger): Promise<void> {
  const metrics = createCalculatorMetrics();
  const supervisor = new ShardSupervisor(config, log, metrics);
  const ops = await startOpsServer({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    registry: metrics.registry,
    isReady: () => supervisor.ready,
  });
  log.info(
    {
      port: ops.port,
      shards: config.SHARDS,
      indicesPerShard: supervisor.indicesPerShard,
      calendarYears: config.calendar.years,
    },
    'sharded index-calculator starting',
  );
  const signalled = new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  let exitCode = 0;
  try {
    await supervisor.start();
    const signal = await Promise.race([signalled, supervisor.failure]);
    log.info({ signal, shards: supervisor.owned }, 'stopping: each shard finishes its current batch');
  } catch (error) {
    log.fatal({ err: error }, 'shard supervisor failed; a restart recovers every shard from its last batch');
    exitCode = 1;
  }
  await supervisor.stop();
  await ops.close();
  log.info({}, 'stopped');
  process.exit(exitCode);
}

void main();
