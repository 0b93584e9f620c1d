#!/usr/bin/env node
/**
 * corporate-actions: keeps the register of announced corporate actions and index changes and
 * publishes each ex-date's adjustment before it starts; filters raw FX quotes into the HKDCNY
 * rate the calculators use. The only file that reads the environment or handles signals.
 */
import { createRootLogger, DependencyProbes, startOpsServer, startWithRetry } from '@indexflow/observability';
import { ConfigError, loadConfig } from './config.js';
import { createServiceRuntime } from './service-runtime.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`corporate-actions: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createRootLogger({ name: 'corporate-actions', level: config.LOG_LEVEL }).child({
    serviceId: config.SERVICE_ID,
  });
  let stopping = false;
  let exitCode = 0;
  let runtime: Awaited<ReturnType<typeof createServiceRuntime>> | null = null;
  let ops: Awaited<ReturnType<typeof startOpsServer>> | null = null;
  let dependencies: DependencyProbes | null = null;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    // Closing waits on Kafka and Redis; never hang a restart on them.
    setTimeout(() => {
      log.error('shutdown took longer than 15 s; exiting');
      process.exit(exitCode || 1);
    }, 15_000).unref();
    dependencies?.stop();
    await runtime?.close();
    await ops?.close();
    log.info('stopped');
    process.exit(exitCode);
  };
  const fail = (error: unknown) => {
    log.fatal({ err: error }, 'failed; a restart recovers from the state in Redis and Kafka');
    exitCode = 1;
    void shutdown('failure');
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  try {
    runtime = await startWithRetry(() => createServiceRuntime(config, log, fail), {
      log,
      what: 'the corporate-actions service',
      deadlineMs: config.STARTUP_TIMEOUT_MS,
    });
  } catch (error) {
    fail(error);
    return;
  }
  const started = runtime;
  dependencies = new DependencyProbes({
    probes: started.probes,
    registry: started.metrics.registry,
    logger: log,
  });
  await dependencies.start();
  ops = await startOpsServer({
    host: config.HTTP_HOST,
    port: config.HTTP_PORT,
    registry: started.metrics.registry,
    isReady: () => !stopping && started.ready(),
    dependencies,
  });
  log.info(
    {
      port: ops.port,
      mode: config.PUBLISH_MODE,
      publishAt: config.PUBLISH_AT,
      fxMaxJump: config.FX_MAX_JUMP,
    },
    'corporate-actions running',
  );
}

void main();
