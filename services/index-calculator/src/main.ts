#!/usr/bin/env node
/**
 * index-calculator: consumes ticks, FX and index adjustments from Kafka, runs the index engine,
 * and publishes every level change to the index-level topic in Kafka transactions, with its
 * state in Redis. The only file that reads the environment or handles signals.
 */
import { createRootLogger, startOpsServer } from '@indexflow/observability';
import { createCalculatorRuntime } from './calculator-runtime.js';
import { ConfigError, loadConfig } from './config.js';

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
  const runtime = await createCalculatorRuntime(config, log);
  const { calculator } = runtime;
  const ops = await startOpsServer({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    registry: runtime.metrics.registry,
    isReady: () => calculator.ready,
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

void main();
