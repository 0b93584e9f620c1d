#!/usr/bin/env node
/**
 * gateway: serves the index-level topic to desks over WebSocket, Server-Sent Events and REST, with
 * a live dashboard. The only file that reads the environment or handles signals.
 */
import { NativeClientUnavailableError, requireKafkaClient } from '@indexflow/kafka';
import { createRootLogger, startWithRetry } from '@indexflow/observability';
import { ConfigError, isLoopbackHost, loadConfig } from './config.js';
import { startGateway } from './runtime.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`gateway: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  try {
    requireKafkaClient(config.KAFKA_CLIENT);
  } catch (error) {
    // Not a crash: the message says what to do (build the client, or KAFKA_CLIENT=kafkajs).
    if (!(error instanceof NativeClientUnavailableError)) throw error;
    process.stderr.write(`gateway: ${error.message}\n`);
    process.exit(2);
  }
  const log = createRootLogger({ name: 'gateway', level: config.LOG_LEVEL }).child({
    gatewayId: config.GATEWAY_ID,
  });
  if (config.AUTH_MODE === 'open' && !isLoopbackHost(config.HOST))
    log.warn(
      { host: config.HOST, override: 'AUTH_OPEN_ON_NETWORK=true' },
      'UNAUTHENTICATED: every index is served to anyone who reaches this host',
    );
  if (config.ALLOW_DEVELOPMENT_SECRETS)
    log.warn('ALLOW_DEVELOPMENT_SECRETS=true: the published development JWT secret and API key are accepted');
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    gateway = await startWithRetry(() => startGateway(config, log), {
      log,
      what: 'the gateway',
      deadlineMs: config.STARTUP_TIMEOUT_MS,
    });
  } catch (error) {
    log.fatal({ err: error }, 'gateway could not start');
    process.exit(1);
  }
  log.info(
    {
      url: `${gateway.protocol}://${config.HOST}:${gateway.port}`,
      opsPort: gateway.opsPort,
      historyFrom: config.HISTORY_FROM,
      authMode: config.AUTH_MODE,
      kafkaClient: config.KAFKA_CLIENT,
      desks: config.GATEWAY_DESKS.map((d) => d.desk),
    },
    'gateway listening',
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await gateway.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
