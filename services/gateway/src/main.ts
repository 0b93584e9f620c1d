#!/usr/bin/env node
/**
 * gateway: serves the index-level topic to desks over WebSocket, Server-Sent Events and REST, with
 * a live dashboard. The only file that reads the environment or handles signals.
 */
import { NativeClientUnavailableError, requireKafkaClient } from '@indexflow/kafka';
import { createRootLogger, type Logger } from '@indexflow/observability';
import { ConfigError, type GatewayConfig, isLoopbackHost, loadConfig } from './config.js';
import { startGatewayProcess } from './gateway-process.js';

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createRootLogger({ name: 'gateway', level: config.LOG_LEVEL }).child({
    gatewayId: config.GATEWAY_ID,
  });
  warnOpenDoors(config, log);
  const gateway = startGatewayProcess(config, log);
  const shutdown = (signal: string) => {
    log.info({ signal }, 'stopping');
    gateway.stop();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.exit(await gateway.done);
}

/** The configuration, or exit 2 with what is wrong (a bad variable, a Kafka client not built). */
function configOrExit(): GatewayConfig {
  try {
    const config = loadConfig(process.env);
    requireKafkaClient(config.KAFKA_CLIENT);
    return config;
  } catch (error) {
    // Not a crash: the message says what to do (fix the variable, build the client, or KAFKA_CLIENT=kafkajs).
    if (!(error instanceof ConfigError || error instanceof NativeClientUnavailableError)) throw error;
    process.stderr.write(`gateway: ${error.message}\n`);
    process.exit(2);
  }
}

function warnOpenDoors(config: GatewayConfig, log: Logger): void {
  if (config.AUTH_MODE === 'open' && !isLoopbackHost(config.HOST))
    log.warn(
      { host: config.HOST, override: 'AUTH_OPEN_ON_NETWORK=true' },
      'UNAUTHENTICATED: every index is served to anyone who reaches this host',
    );
  if (config.ALLOW_DEVELOPMENT_SECRETS)
    log.warn('ALLOW_DEVELOPMENT_SECRETS=true: the published development JWT secret and API key are accepted');
}

void main();
