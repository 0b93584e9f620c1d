#!/usr/bin/env node
/**
 * index-calculator: consumes ticks, FX and index adjustments from Kafka, runs the index engine,
 * and publishes every level change to the index-level topic in Kafka transactions, with its
 * state in Redis. The only file that reads the environment or handles signals.
 */
import {
  createRootLogger,
  DependencyProbes,
  type Logger,
  startOpsServer,
  startWithRetry,
} from '@indexflow/observability';
import { createCalculatorMetrics } from './calculator-metrics.js';
import { createCalculatorRuntime } from './calculator-runtime.js';
import { type CalculatorConfig, ConfigError, loadConfig } from './config.js';
import { ShardSupervisor } from './shard-supervisor.js';

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
  if (config.SHARDS > 1) {
    await runSharded(config, log);
    return;
  }
  let runtime: Awaited<ReturnType<typeof createCalculatorRuntime>>;
  try {
    runtime = await startWithRetry(() => createCalculatorRuntime(config, log), {
      log,
      what: 'the calculator',
      deadlineMs: config.STARTUP_TIMEOUT_MS,
    });
  } catch (error) {
    log.fatal({ err: error }, 'calculator could not start');
    process.exit(1);
  }
  const { calculator } = runtime;
  const dependencies = new DependencyProbes({
    probes: runtime.probes,
    registry: runtime.metrics.registry,
    logger: log,
  });
  await dependencies.start();
  const ops = await startOpsServer({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    registry: runtime.metrics.registry,
    isReady: () => calculator.ready,
    dependencies,
  });
  log.info(
    { port: ops.port, topics: runtime.inputTopics, ordering: config.ORDERING },
    'index-calculator starting',
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing the current batch');
    calculator.stop();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  let exitCode = 0;
  try {
    await calculator.run();
  } catch (error) {
    log.fatal({ err: error }, 'calculator failed; a restart recovers from the last committed batch');
    exitCode = 1;
  }
  // Before the connections close, so that their closing is not reported as an outage.
  dependencies.stop();
  await runtime.close();
  await ops.close();
  log.info(
    {
      stats: { ...calculator.stats, rejectedByReason: Object.fromEntries(calculator.stats.rejectedByReason) },
    },
    'stopped',
  );
  process.exit(exitCode);
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
    { port: ops.port, shards: config.SHARDS, indicesPerShard: supervisor.indicesPerShard },
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
