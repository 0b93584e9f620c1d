#!/usr/bin/env node
/**
 * corporate-actions: keeps the register of announced corporate actions and index changes and
 * publishes each ex-date's adjustment before it starts; filters raw FX quotes into the HKDCNY
 * rate the calculators use. The only file that reads the environment or handles signals.
 */
import { createRootLogger } from '@indexflow/observability';
import { ConfigError, loadConfig } from './config.js';
import { startServiceProcess } from './service-process.js';

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
  const service = startServiceProcess(config, log);
  const shutdown = (signal: string) => {
    log.info({ signal }, 'stopping');
    service.stop();
    // Closing waits on Kafka and Redis; never hang a restart on them.
    setTimeout(() => {
      log.error('shutdown took longer than 15 s; exiting');
      process.exit(1);
    }, 15_000).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.exit(await service.done);
}

void main();
